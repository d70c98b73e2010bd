public enum TranslationMemoryModule {}
