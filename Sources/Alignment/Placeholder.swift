public enum AlignmentModule {}
