"""MailSender: the MIME message it builds, and real sends to a local SMTP server."""

from __future__ import annotations

import asyncio
import email
import gc
import logging
import warnings
from email.charset import Charset
from email.policy import default as default_policy
from io import BytesIO

import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.utils.test import get_crawler

from .smtp_helpers import smtp_server

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ScrapyDeprecationWarning)
    from ascrapy.mail import MailSender


class Catcher:
    def __init__(self) -> None:
        self.sent: dict = {}

    def __call__(self, **kwargs) -> None:
        self.sent = kwargs


def test_importing_the_module_warns_as_scrapy_does():
    import importlib
    import sys

    import ascrapy

    saved = sys.modules.pop("ascrapy.mail")
    try:
        with pytest.warns(ScrapyDeprecationWarning, match="scrapy.mail module is deprecated"):
            importlib.import_module("ascrapy.mail")
    finally:
        sys.modules["ascrapy.mail"] = saved
        ascrapy.mail = saved


def test_debug_mode_builds_the_message_logs_and_sends_nothing(caplog):
    catcher = Catcher()
    with caplog.at_level(logging.DEBUG, logger="scrapy.mail"):
        result = MailSender(debug=True).send(
            to="a@example.org", subject="subject", body="body", cc="b@example.org", _callback=catcher
        )
    assert result is None
    assert catcher.sent["to"] == ["a@example.org"]
    assert catcher.sent["cc"] == ["b@example.org"]
    msg = catcher.sent["msg"]
    assert msg["To"] == "a@example.org"
    assert msg["Cc"] == "b@example.org"
    assert msg["From"] == "scrapy@localhost"
    assert msg.get_payload() == "body"
    assert msg.get("Content-Type") == "text/plain"
    assert caplog.messages == [
        "Debug mail sent OK: To=['a@example.org'] Cc=['b@example.org'] Subject=\"subject\" Attachs=0"
    ]


def test_html_mimetype():
    catcher = Catcher()
    MailSender(debug=True).send(to=["a@example.org"], subject="s", body="<p>b</p>", mimetype="text/html",
                                _callback=catcher)
    assert catcher.sent["msg"].get("Content-Type") == "text/html"


def test_utf8_body_and_attachment():
    catcher = Catcher()
    body = "bödÿ-àéïöñß"
    attachment = BytesIO(body.encode("utf-8"))
    MailSender(debug=True).send(to=["a@example.org"], subject="sübjèçt", body=body, charset="utf-8",
                                attachs=[("notes.txt", "text/plain", attachment)], _callback=catcher)
    msg = catcher.sent["msg"]
    assert msg.get_charset() == Charset("utf-8")
    assert msg.get("Content-Type") == 'multipart/mixed; charset="utf-8"'
    text, attached = msg.get_payload()
    assert text.get_payload(decode=True).decode("utf-8") == body
    assert text.get_charset() == Charset("utf-8")
    assert attached.get_payload(decode=True).decode("utf-8") == body
    assert attached.get_filename() == "notes.txt"


def test_from_crawler_reads_the_mail_settings():
    crawler = get_crawler(settings_dict={
        "MAIL_HOST": "mail.example.org", "MAIL_PORT": 2525, "MAIL_FROM": "bot@example.org",
        "MAIL_USER": "u", "MAIL_PASS": "p", "MAIL_TLS": True, "MAIL_SSL": False,
    })
    sender = MailSender.from_crawler(crawler)
    assert (sender.smtphost, sender.smtpport, sender.mailfrom) == ("mail.example.org", 2525, "bot@example.org")
    assert (sender.smtpuser, sender.smtppass, sender.smtptls, sender.smtpssl) == (b"u", b"p", True, False)
    with pytest.warns(ScrapyDeprecationWarning, match="from_settings"):
        assert MailSender.from_settings(crawler.settings).smtpport == 2525


async def test_send_delivers_to_the_smtp_server_and_logs(caplog):
    with smtp_server() as server, caplog.at_level(logging.INFO, logger="scrapy.mail"):
        sender = MailSender(smtphost="127.0.0.1", smtpport=server.port, mailfrom="bot@example.org")
        future = sender.send(to=["a@example.org"], cc=["c@example.org"], subject="Report", body="all good",
                             attachs=[("data.csv", "text/csv", BytesIO(b"x,y\n1,2\n"))])
        assert isinstance(future, asyncio.Future)
        await asyncio.wait_for(future, 10)
    [mail] = server.mails
    assert mail.mail_from == "bot@example.org"
    assert mail.rcpt_to == ["a@example.org", "c@example.org"]
    parsed = email.message_from_bytes(mail.data, policy=default_policy)
    assert parsed["Subject"] == "Report"
    assert parsed.get_body(("plain",)).get_content() == "all good"
    [attachment] = list(parsed.iter_attachments())
    assert attachment.get_filename() == "data.csv"
    assert attachment.get_payload(decode=True) == b"x,y\n1,2\n"
    assert "Mail sent OK: To=['a@example.org'] Cc=['c@example.org'] Subject=\"Report\" Attachs=1" in caplog.messages


async def test_send_logs_in_when_the_server_offers_auth():
    with smtp_server(credentials=("user", "secret")) as server:
        sender = MailSender(smtphost="127.0.0.1", smtpport=server.port, smtpuser="user", smtppass="secret")
        await asyncio.wait_for(sender.send(to="a@example.org", subject="s", body="b"), 10)
    assert server.mails[0].auth == "user"


async def test_a_refused_send_is_logged_and_raised(caplog):
    with smtp_server(refuse={"nobody@example.org"}) as server, caplog.at_level(logging.ERROR, logger="scrapy.mail"):
        sender = MailSender(smtphost="127.0.0.1", smtpport=server.port)
        with pytest.raises(Exception, match="refused"):
            await asyncio.wait_for(sender.send(to="nobody@example.org", subject="s", body="b"), 10)
    assert not server.mails
    [message] = caplog.messages
    assert message.startswith(
        "Unable to send mail: To=['nobody@example.org'] Cc=[] Subject=\"s\" Attachs=0- "
    )


async def test_mail_tls_fails_when_the_server_has_no_starttls():
    with smtp_server() as server:
        sender = MailSender(smtphost="127.0.0.1", smtpport=server.port, smtptls=True)
        with pytest.raises(Exception, match="STARTTLS"):
            await asyncio.wait_for(sender.send(to="a@example.org", subject="s", body="b"), 10)
    assert not server.mails


def test_send_without_a_running_loop_sends_in_the_calling_thread():
    with smtp_server() as server:
        sender = MailSender(smtphost="127.0.0.1", smtpport=server.port)
        assert sender.send(to="a@example.org", subject="sync", body="b") is None
    assert [m.rcpt_to for m in server.mails] == [["a@example.org"]]


async def test_a_failed_send_nobody_awaits_is_logged_once(caplog):
    with smtp_server(refuse={"nobody@example.org"}) as server, caplog.at_level(logging.ERROR):
        sender = MailSender(smtphost="127.0.0.1", smtpport=server.port)
        future = sender.send(to="nobody@example.org", subject="s", body="b")
        await asyncio.wait({future}, timeout=10)
        del future
        gc.collect()
        await asyncio.sleep(0)
    assert [record.getMessage()[:20] for record in caplog.records] == ["Unable to send mail:"]
