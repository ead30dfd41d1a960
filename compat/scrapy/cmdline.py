"""scrapy.cmdline: Scrapy's names, from ascrapy.cli.main."""

from ascrapy.cli.main import ScrapyArgumentParser, _pop_command_name, execute

if __name__ == "__main__":
    execute()
