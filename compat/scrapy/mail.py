"""scrapy.mail: Scrapy's names, from ascrapy.mail."""

from ascrapy.mail import COMMASPACE, MailSender
