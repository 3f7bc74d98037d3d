"""Links in entries and abstracts: which are refused, which look wrong.

`safety.check_url` decides what is safe to put on a page; `link_field` what a
link field means (``github.com/x/y`` in ``code`` is ``https://github.com/x/y``);
`url_problem` adds what is safe but probably a typing mistake (a host name that
cannot exist, a web address without ``https://`` where a file could be meant).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sphinx_proceedings.core.safety import check_url

_HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                   r"[A-Za-z]{2,63}$|^localhost$|^\d{1,3}(?:\.\d{1,3}){3}$")
_DOMAIN_LIKE = re.compile(r"^(www\.|[A-Za-z0-9-]+\.(com|org|net|edu|io|ai|dev|gov)(/|$))")


def url_problem(url: str) -> str | None:
    """Why a link is refused or looks malformed, or None; stricter than `check_url`."""
    url = url.strip()
    _, reason = check_url(url)
    if reason:
        return reason
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        try:
            parts.port  # noqa: B018 - raises ValueError for a malformed port
        except ValueError:
            return f"{url!r} has a malformed port"
        if not _HOST.match(parts.hostname or ""):
            return f"{url!r} has a malformed host name {parts.hostname!r}"
        return None
    if _DOMAIN_LIKE.match(url):
        return f"{url!r} looks like a web address without 'https://'"
    return None


#: Link fields that always name a web page, never a file beside the paper.
WEB_ONLY_FIELDS = frozenset({"url", "code", "video"})
#: ``github.com/x/y``: a host name (dotted, ending in letters) at the start of a scheme-less link.
_HOST_FIRST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
                         r"(?::\d{1,5})?(?:[/?#]|$)")


def link_field(name: str, raw: str) -> tuple[str, str | None]:
    """The address a BibTeX link field means, or why it is refused.

    One rule for ``check``, ``add``, ``import`` and the build: a web-only
    field (`WEB_ONLY_FIELDS`) written without a scheme gets ``https://`` when
    it starts with a host name (``github.com/x/y``) and is refused otherwise;
    ``pdf``, ``poster`` and ``slides`` may also name a file beside the paper.
    """
    url, reason = check_url(raw)
    if reason or name not in WEB_ONLY_FIELDS or urlsplit(url).scheme:
        return url, reason
    if _HOST_FIRST.match(url):
        return "https://" + url, None
    return url, f"{url!r} is not a web address (write it with https://)"


def is_local(url: str) -> bool:
    """Whether a (checked) link names a file beside the entry rather than a web page."""
    parts = urlsplit(url.strip())
    return not parts.scheme and not parts.netloc and bool(parts.path)


def local_path(url: str) -> str:
    """The file a local link names, without query or fragment."""
    return urlsplit(url.strip()).path


def abstract_link_problem(href: str) -> str | None:
    """Abstracts link to the web only: relative paths would resolve inside the site."""
    reason = url_problem(href)
    if reason:
        return reason
    if not href.lower().startswith(("http://", "https://")):
        return f"only http(s) links are allowed, not {href!r}"
    return None
