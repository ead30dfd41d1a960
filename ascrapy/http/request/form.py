"""FormRequest: a request carrying url-encoded form data, or one built from an HTML form."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from w3lib.html import strip_html5_whitespace

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.http.request import Request
from ascrapy.utils.python import is_listlike, to_bytes

if TYPE_CHECKING:
    from ascrapy.http.response.text import TextResponse

FormdataVType: TypeAlias = str | Iterable[str]
FormdataKVType: TypeAlias = tuple[str, FormdataVType]
FormdataType: TypeAlias = Mapping[str, FormdataVType] | Iterable[FormdataKVType] | None

_EXSLT = {"re": "http://exslt.org/regular-expressions"}
# Fields a browser submits: every textarea and select, and inputs except buttons,
# resets, and checkboxes or radios that are not checked.
_SUBMITTED_FIELDS_XPATH = (
    "descendant::textarea"
    "|descendant::select"
    "|descendant::input[not(@type) or @type["
    ' not(re:test(., "^(?:submit|image|reset)$", "i"))'
    " and (../@checked or"
    '  not(re:test(., "^(?:checkbox|radio)$", "i")))]]'
)
_CLICKABLES_XPATH = (
    'descendant::input[re:test(@type, "^(submit|image)$", "i")]'
    '|descendant::button[not(@type) or re:test(@type, "^submit$", "i")]'
)


class FormRequest(Request):
    """A request whose ``formdata`` is url-encoded into the body (POST) or query (GET)."""

    __slots__ = ()

    valid_form_methods: ClassVar[list[str]] = ["GET", "POST"]

    def __init__(self, *args: Any, formdata: FormdataType = None, **kwargs: Any) -> None:
        if formdata and kwargs.get("method") is None:
            kwargs["method"] = "POST"
        super().__init__(*args, **kwargs)
        if not formdata:
            return
        pairs = formdata.items() if isinstance(formdata, Mapping) else formdata
        query = _urlencode(pairs, self.encoding)
        if self.method == "POST":
            self.headers.setdefault(b"Content-Type", b"application/x-www-form-urlencoded")
            self._set_body(query)
        else:
            self._set_url(urlunsplit(urlsplit(self.url)._replace(query=query)))

    @classmethod
    def from_response(
        cls,
        response: TextResponse,
        formname: str | None = None,
        formid: str | None = None,
        formnumber: int = 0,
        formdata: FormdataType = None,
        clickdata: dict[str, str | int] | None = None,
        dont_click: bool = False,
        formxpath: str | None = None,
        formcss: str | None = None,
        **kwargs: Any,
    ) -> FormRequest:
        """A request submitting a ``<form>`` of ``response``, pre-filled as a browser would.

        The form is chosen by name, id, XPath or CSS, else by position; ``formdata``
        overrides field values; the first submit control (or ``clickdata``'s) is
        sent unless ``dont_click``.
        """
        warnings.warn(
            "FormRequest.from_response() is deprecated. Use the form2request library instead.",
            ScrapyDeprecationWarning,
            stacklevel=2,
        )
        kwargs.setdefault("encoding", response.encoding)
        if formcss is not None:
            from parsel.csstranslator import HTMLTranslator  # noqa: PLC0415

            formxpath = HTMLTranslator().css_to_xpath(formcss)
        form = _find_form(response, formname, formid, formnumber, formxpath)
        fields = _form_fields(form, formdata, dont_click, clickdata)
        url = _form_url(form, kwargs.pop("url", None))
        method = kwargs.pop("method", form.method)
        if method is not None:
            method = method.upper()
            if method not in cls.valid_form_methods:
                method = "GET"
        return cls(url=url, method=method, formdata=fields, **kwargs)


def _urlencode(pairs: Iterable[FormdataKVType], encoding: str) -> str:
    """``key=value&...`` with keys and values encoded in the request's encoding."""
    encoded = [
        # is_listlike() sets a field's list of values apart from its single string
        (to_bytes(key, encoding), to_bytes(value, encoding))  # type: ignore[arg-type]
        for key, values in pairs
        for value in (values if is_listlike(values) else [values])
    ]
    return urlencode(encoded, doseq=True)


def _form_url(form: Any, url: str | None) -> str:
    if url is not None:
        return urljoin(form.base_url, url)
    action = form.get("action")
    if action is None:
        return form.base_url
    return urljoin(form.base_url, strip_html5_whitespace(action))


def _find_form(
    response: TextResponse,
    formname: str | None,
    formid: str | None,
    formnumber: int,
    formxpath: str | None,
) -> Any:
    """The lxml form element wanted, looked up in Scrapy's order of precedence."""
    root = response.selector.root
    forms = root.xpath("//form")
    if not forms:
        raise ValueError(f"No <form> element found in {response}")
    if formname is not None:
        found = root.xpath(f'//form[@name="{formname}"]')
        if found:
            return found[0]
    if formid is not None:
        found = root.xpath(f'//form[@id="{formid}"]')
        if found:
            return found[0]
    if formxpath is not None:
        nodes = root.xpath(formxpath)
        element = nodes[0] if nodes else None
        # The XPath may point inside the form: climb to the enclosing one.
        while element is not None:
            if element.tag == "form":
                return element
            element = element.getparent()
        raise ValueError(f"No <form> element found with {formxpath}")
    try:
        return forms[formnumber]
    except IndexError:
        raise IndexError(f"Form number {formnumber} not found in {response}") from None


def _form_fields(
    form: Any,
    formdata: FormdataType,
    dont_click: bool,
    clickdata: dict[str, str | int] | None,
) -> list[FormdataKVType]:
    """(name, value) pairs the form submits, with ``formdata`` replacing same-named fields."""
    try:
        overridden = dict(formdata or ()).keys()
    except (ValueError, TypeError):
        raise ValueError("formdata should be a dict or iterable of tuples") from None
    if not formdata:
        formdata = []
    fields: list[FormdataKVType] = []
    for element in form.xpath(_SUBMITTED_FIELDS_XPATH, namespaces=_EXSLT):
        name, value = _field_value(element)
        if name and name not in overridden:
            fields.append((name, "" if value is None else value))
    if not dont_click:
        clicked = _clicked_control(clickdata, form)
        if clicked and clicked[0] is not None and clicked[0] not in formdata:
            fields.append(clicked)
    pairs = formdata.items() if isinstance(formdata, Mapping) else formdata
    fields.extend((key, value) for key, value in pairs if value is not None)
    return fields


def _field_value(element: Any) -> tuple[str | None, Any]:
    name = element.name
    value = element.value
    if element.tag == "select" and value is None and not element.multiple:
        # A browser submits the first option of a select where none is selected.
        options = element.value_options
        return (name, options[0]) if options else (None, None)
    return name, value


def _clicked_control(clickdata: dict[str, str | int] | None, form: Any) -> tuple[str, str] | None:
    """(name, value) of the submit control to click: ``clickdata``'s match, else the first."""
    clickables = list(form.xpath(_CLICKABLES_XPATH, namespaces=_EXSLT))
    if not clickables:
        return None
    if clickdata is None:
        first = clickables[0]
        return first.get("name"), first.get("value") or ""
    nr = clickdata.get("nr")
    if nr is not None:
        inputs = list(form.inputs)
        if isinstance(nr, int) and -len(inputs) <= nr < len(inputs):
            element = inputs[nr]
            return element.get("name"), element.get("value") or ""
    xpath = ".//*" + "".join(f'[@{key}="{value}"]' for key, value in clickdata.items())
    matches = form.xpath(xpath)
    if len(matches) == 1:
        return matches[0].get("name"), matches[0].get("value") or ""
    if len(matches) > 1:
        raise ValueError(
            f"Multiple elements found ({matches!r}) matching the criteria in clickdata: {clickdata!r}"
        )
    raise ValueError(f"No clickable element matching clickdata: {clickdata!r}")
