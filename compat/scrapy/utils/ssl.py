"""scrapy.utils.ssl: Scrapy's names, from ascrapy.utils.ssl."""

from ascrapy.utils.ssl import (
    _log_ssl_conn_debug_info,
    ffi_buf_to_string,
    get_openssl_version,
    get_temp_key_info,
    x509name_to_string,
)
from ascrapy.utils.twisted_tls import _get_cert_options_version_kwargs
