"""ascrapy's own version (``ascrapy.__version__``), importable by any module without the
package's public names."""

__version__ = "0.1.0"
version_info = tuple(int(part) for part in __version__.split("."))
