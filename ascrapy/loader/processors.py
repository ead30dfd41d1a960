"""The processors at their pre-2.0 path ``scrapy.loader.processors``.

They live in itemloaders now; older projects still import them from here.
"""

from itemloaders.processors import Compose, Identity, Join, MapCompose, SelectJmes, TakeFirst

__all__ = ["Compose", "Identity", "Join", "MapCompose", "SelectJmes", "TakeFirst"]
