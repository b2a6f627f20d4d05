"""Chart functions, one module per chapter. Each returns a finished ``jinchang.figure.Chart``."""
