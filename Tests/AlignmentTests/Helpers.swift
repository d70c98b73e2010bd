import Foundation
import TestSupport

typealias TestSupportPaths = TestSupport
