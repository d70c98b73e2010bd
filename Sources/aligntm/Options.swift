import ArgumentParser
import Foundation
import TextSegmentation

/// `--lang fr|en|auto` for commands that read one document.
enum LanguageChoice: ExpressibleByArgument, Equatable {
  case auto
  case language(Language)

  init?(argument: String) {
    let code = argument.lowercased()
    if code == "auto" {
      self = .auto
    } else if code.range(of: #"^[a-z]{2,3}([-_][a-z0-9]+)*$"#, options: .regularExpression) != nil {
      self = .language(Language(code))
    } else {
      return nil
    }
  }

  var language: Language? {
    if case .language(let language) = self { return language }
    return nil
  }

  static var defaultCompletionKind: CompletionKind { .list(["auto", "fr", "en", "de"]) }
}

extension Language: ExpressibleByArgument {
  public init?(argument: String) {
    guard argument.range(of: #"^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*$"#, options: .regularExpression) != nil
    else { return nil }
    self.init(argument)
  }
}

/// Reads a document with the reader, turning its errors into the command line's.
func readDocument(_ path: String, language: Language?) throws -> Document {
  do {
    return try DocumentReader().read(contentsOf: URL(fileURLWithPath: path), language: language)
  } catch {
    throw CommandError(error.description)
  }
}
