"""Blocking FTP uploads with ftplib (feed storage and files store run them in a thread)."""

from __future__ import annotations

import posixpath
import ssl
from ftplib import FTP, FTP_TLS, error_perm
from typing import IO

__all__ = ["ftp_makedirs_cwd", "ftp_store_file"]


def ftp_makedirs_cwd(ftp: FTP, path: str, first_call: bool = True) -> None:
    """Change the connection's directory to ``path``, creating missing parents first.

    ``ftp`` must be connected and logged in; a relative ``path`` starts from the current
    directory. A folder that another connection creates meanwhile (two uploads into one
    new folder) is not an error. ``first_call`` is False in the recursion only.
    """
    if first_call and path and not path.startswith("/"):
        # The checks below change directory: from here on, every path is absolute.
        path = posixpath.join(ftp.pwd(), path)
    try:
        ftp.cwd(path)
        return
    except error_perm:
        pass
    parent = posixpath.dirname(path)
    if parent != path:  # at "/" the CWD error stands, raised by the MKD below
        ftp_makedirs_cwd(ftp, parent, first_call=False)
    try:
        ftp.mkd(path)
    except error_perm as refused:
        try:
            ftp.cwd(path)  # it exists: another connection created it after our CWD
        except error_perm:
            raise refused from None
    if first_call:
        ftp.cwd(path)


def ftp_store_file(
    *,
    path: str,
    file: IO[bytes],
    host: str,
    port: int,
    username: str,
    password: str,
    use_active_mode: bool = False,
    overwrite: bool = True,
    tls: bool = False,
) -> None:
    """Upload ``file`` (from its start) to ``path`` on the server, creating its directories.

    ``overwrite=False`` appends (APPE) instead of replacing (STOR). With ``tls`` the
    control and data connections use TLS (FTPS) and the server certificate is verified.
    ``file`` is closed afterwards.
    """
    ftp: FTP = FTP_TLS(context=ssl.create_default_context()) if tls else FTP()
    with ftp, file:
        ftp.connect(host, port)
        ftp.login(username, password)
        if isinstance(ftp, FTP_TLS):
            ftp.prot_p()  # protect the data connection too
        if use_active_mode:
            ftp.set_pasv(False)
        file.seek(0)
        directory, filename = posixpath.split(path)
        ftp_makedirs_cwd(ftp, directory)
        command = "STOR" if overwrite else "APPE"
        ftp.storbinary(f"{command} {filename}", file)
