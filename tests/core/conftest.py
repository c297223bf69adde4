from tests.core.fakekind import registry

__all__ = ["registry"]
