"""Built-in extensions (scrapy.extensions): components that hook into a crawl through signals.

Each module holds one extension, named and configured as in Scrapy; EXTENSIONS_BASE lists
them. An extension that its settings turn off raises NotConfigured when it is built.
"""
