"""scrapy.__main__: Scrapy's names, from ascrapy.cli.main."""

from ascrapy.cli.main import execute

if __name__ == "__main__":
    execute()
