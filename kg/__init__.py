"""Knowledge graph of Vietnamese government directives, agencies and duties."""

__version__ = "0.1.0"
