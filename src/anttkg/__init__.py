"""anttkg: knowledge graphs from Vietnamese news about public security and order (an ninh, trật tự)."""

__version__ = "0.1.0"
