"""Sending mail from a crawl (StatsMailer, MEMUSAGE_NOTIFY_MAIL, user code): scrapy.mail.

smtplib does the SMTP work in a worker thread, so the crawl's event loop never waits on
the mail server; ``send`` returns an asyncio Future that completes when the server has
accepted the message. Deprecated in Scrapy 2.19, and so here: a dedicated mail library
does this better.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
import warnings
from collections.abc import Callable, Sequence
from email import encoders
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.mime.text import MIMEText
from email.utils import formatdate
from typing import IO, TYPE_CHECKING, Any

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.utils.misc import arg_to_iter
from ascrapy.utils.python import to_bytes
from ascrapy.utils.warning_origin import outside_ascrapy

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

__all__ = ["COMMASPACE", "MailSender"]

logger = logging.getLogger("scrapy.mail")

COMMASPACE = ", "

warnings.warn(
    "The scrapy.mail module is deprecated and will be removed in a future release. "
    "Please use a dedicated Python mail library instead.",
    category=ScrapyDeprecationWarning,
    stacklevel=outside_ascrapy(),  # the code that imported the module, past compat's file
)

# Seconds an SMTP connection may sit idle: a mail server that stops answering must not keep
# a worker thread (and so the process's exit) waiting forever.
_SMTP_TIMEOUT = 60.0

# Sends in progress: a Future nobody awaits must not be collected before it completes.
_pending_sends: set[asyncio.Future[Any]] = set()


def _send_done(future: asyncio.Future[Any]) -> None:
    _pending_sends.discard(future)
    if not future.cancelled():
        # A failure is logged by _send_and_log already: asyncio need not log it again when
        # nobody awaits the Future (an awaiter still gets the exception).
        future.exception()


def _bytes_or_none(text: str | bytes | None) -> bytes | None:
    return None if text is None else to_bytes(text)


class MailSender:
    """Builds a MIME message and sends it with SMTP (SSL, STARTTLS and login as configured).

    ``debug=True`` logs the message instead of sending it.
    """

    def __init__(
        self,
        smtphost: str = "localhost",
        mailfrom: str = "scrapy@localhost",
        smtpuser: str | None = None,
        smtppass: str | None = None,
        smtpport: int = 25,
        smtptls: bool = False,
        smtpssl: bool = False,
        debug: bool = False,
    ) -> None:
        self.smtphost = smtphost
        self.smtpport = smtpport
        self.smtpuser: bytes | None = _bytes_or_none(smtpuser)
        self.smtppass: bytes | None = _bytes_or_none(smtppass)
        self.smtptls = smtptls
        self.smtpssl = smtpssl
        self.mailfrom = mailfrom
        self.debug = debug

    @classmethod
    def _from_mail_settings(cls, settings: Any) -> MailSender:
        return cls(
            smtphost=settings["MAIL_HOST"],
            mailfrom=settings["MAIL_FROM"],
            smtpuser=settings["MAIL_USER"],
            smtppass=settings["MAIL_PASS"],
            smtpport=settings.getint("MAIL_PORT"),
            smtptls=settings.getbool("MAIL_TLS"),
            smtpssl=settings.getbool("MAIL_SSL"),
        )

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> MailSender:
        return cls._from_mail_settings(crawler.settings)

    @classmethod
    def from_settings(cls, settings: Any) -> MailSender:
        """Older API, kept for projects that still call it."""
        warnings.warn(
            f"{cls.__name__}.from_settings() is deprecated, use from_crawler() instead.",
            category=ScrapyDeprecationWarning,
            stacklevel=2,
        )
        return cls._from_mail_settings(settings)

    def send(
        self,
        to: str | list[str],
        subject: str,
        body: str,
        cc: str | list[str] | None = None,
        attachs: Sequence[tuple[str, str, IO[Any]]] = (),
        mimetype: str = "text/plain",
        charset: str | None = None,
        _callback: Callable[..., None] | None = None,
    ) -> asyncio.Future[None] | None:
        """Send a mail; returns a Future of the sending (None in debug mode).

        ``attachs`` holds ``(file name, MIME type, file object)`` triples. ``_callback``
        gets the message before it is sent (tests use it). Without a running event loop
        the mail is sent in the calling thread and None is returned.
        """
        to = list(arg_to_iter(to))
        cc = list(arg_to_iter(cc))
        msg = self._build_message(to, subject, body, cc, attachs, mimetype, charset)
        if _callback:
            _callback(to=to, subject=subject, body=body, cc=cc, attach=attachs, msg=msg)
        summary = {"mailto": to, "mailcc": cc, "mailsubject": subject, "mailattachs": len(attachs)}
        if self.debug:
            logger.debug(
                'Debug mail sent OK: To=%(mailto)s Cc=%(mailcc)s Subject="%(mailsubject)s" Attachs=%(mailattachs)d',
                summary,
            )
            return None
        payload = msg.as_string().encode(charset or "utf-8")
        recipients = to + cc
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._send_and_log(recipients, payload, summary)
            return None
        future = loop.run_in_executor(None, self._send_and_log, recipients, payload, summary)
        _pending_sends.add(future)
        future.add_done_callback(_send_done)
        return future

    def _build_message(
        self,
        to: list[str],
        subject: str,
        body: str,
        cc: list[str],
        attachs: Sequence[tuple[str, str, IO[Any]]],
        mimetype: str,
        charset: str | None,
    ) -> MIMEBase:
        msg: MIMEBase = MIMEMultipart() if attachs else MIMENonMultipart(*mimetype.split("/", 1))
        msg["From"] = self.mailfrom
        msg["To"] = COMMASPACE.join(to)
        msg["Date"] = formatdate(localtime=True)
        msg["Subject"] = subject
        if cc:
            msg["Cc"] = COMMASPACE.join(cc)
        if not attachs:
            msg.set_payload(body, charset)
            return msg
        if charset:
            msg.set_charset(charset)
        msg.attach(MIMEText(body, "plain", charset or "us-ascii"))
        for filename, attach_mimetype, file in attachs:
            part = MIMEBase(*attach_mimetype.split("/"))
            part.set_payload(file.read())
            encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=filename)
            msg.attach(part)
        return msg

    def _send_and_log(self, recipients: list[str], payload: bytes, summary: dict[str, Any]) -> None:
        """Send (blocking) and log the outcome; an error is logged, then raised to the awaiter."""
        try:
            self._sendmail(recipients, payload)
        except Exception as error:
            logger.error(
                'Unable to send mail: To=%(mailto)s Cc=%(mailcc)s Subject="%(mailsubject)s" '
                "Attachs=%(mailattachs)d- %(mailerr)s",
                {**summary, "mailerr": str(error)},
            )
            raise
        logger.info(
            'Mail sent OK: To=%(mailto)s Cc=%(mailcc)s Subject="%(mailsubject)s" Attachs=%(mailattachs)d',
            summary,
        )

    def _sendmail(self, to_addrs: list[str], msg: bytes) -> None:
        """One SMTP session, negotiated as Scrapy's Twisted sender does.

        MAIL_SSL connects over TLS. Otherwise STARTTLS is used whenever the server offers
        it, and MAIL_TLS makes it mandatory (the send fails without it). Login happens
        when a user and password are set and the server offers AUTH.
        """
        smtp: smtplib.SMTP
        if self.smtpssl:
            # As Scrapy's MAIL_SSL: encrypted, certificate not checked.
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            smtp = smtplib.SMTP_SSL(self.smtphost, self.smtpport, context=context, timeout=_SMTP_TIMEOUT)
        else:
            smtp = smtplib.SMTP(self.smtphost, self.smtpport, timeout=_SMTP_TIMEOUT)
        with smtp:
            smtp.ehlo_or_helo_if_needed()
            if not self.smtpssl and (self.smtptls or smtp.has_extn("starttls")):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if self.smtpuser is not None and self.smtppass is not None and smtp.has_extn("auth"):
                smtp.login(self.smtpuser.decode(), self.smtppass.decode())
            smtp.sendmail(self.mailfrom, to_addrs, msg)
