"""Hostile strings used by the escaping tests: each would run script or inject markup if unescaped."""

XSS_PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    "\"><svg onload=window.__xss=1>",
    "'><iframe src=javascript:window.__xss=1>",
    "<a href=\"javascript:window.__xss=1\">x</a>",
    "<body onload=window.__xss=1>",
    "<details open ontoggle=window.__xss=1>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "{{7*7}}<b>bold</b>",
    "</textarea><script>window.__xss=1</script>",
    "<svg><script>window.__xss=1</script></svg>",
    "<input autofocus onfocus=window.__xss=1>",
    "<video><source onerror=window.__xss=1>",
    "<object data=javascript:window.__xss=1>",
    "javascript:window.__xss=1",
    "<style>@import 'http://evil.example/x.css';</style>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
    "<meta http-equiv=refresh content=0;url=http://evil.example>",
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "+cmd|' /C calc'!A0",
]

# payloads that are valid file names (no slash, no NUL)
FILE_NAME_PAYLOADS = [p for p in XSS_PAYLOADS if "/" not in p][:6]

_TAGS = ["img src=x", "svg", "body", "iframe src=x", "video src=x", "audio src=x", "input autofocus",
         "details open", "marquee", "object data=x", "embed src=x", "select autofocus", "textarea autofocus",
         "keygen autofocus", "math", "form", "button", "isindex", "frameset", "style"]
_EVENTS = ["onerror", "onload", "onfocus", "ontoggle", "onstart", "onmouseover", "onanimationstart",
           "onpageshow", "onbegin", "onwheel"]
# 20 hand-written payloads above, then tag x event combinations until there are 60 in all
XSS_PAYLOADS = XSS_PAYLOADS + [
    f"<{tag} {event}=window.__xss=1>" for event in _EVENTS[:2] for tag in _TAGS
]
FILE_NAME_PAYLOADS = list(dict.fromkeys(p for p in XSS_PAYLOADS if "/" not in p and len(p) < 100))[:12]
