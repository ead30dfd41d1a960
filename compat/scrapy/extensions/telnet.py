"""scrapy.extensions.telnet: Scrapy's names, from ascrapy.extensions.telnet."""

from ascrapy.extensions.telnet import TelnetConsole, update_telnet_vars
