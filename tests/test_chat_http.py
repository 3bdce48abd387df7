"""The OpenAI-compatible responder's HTTP: proxies from the environment, streaming, and
every failure as one clear line. Against real servers on loopback only."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess

import pytest
from gatedmem.chatbot import OpenAIResponder, ResponderError
from gatedmem.memory import Observation
from loopback import FakeLLM, without_proxies

OBS = Observation(stored=False, memory_id=None, input_gate=0.0, superseded=[])


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    without_proxies(monkeypatch)


def dead_url(scheme: str = "http") -> str:
    """A loopback address with nothing listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"{scheme}://127.0.0.1:{sock.getsockname()[1]}/v1"


def ask(responder: OpenAIResponder, text: str = "Hi!", user: str = "ana") -> str:
    return "".join(responder.reply(text, [], user=user, observation=OBS))


def test_http_proxy_from_the_environment_carries_the_request(monkeypatch):
    target = dead_url()  # reached only through the proxy
    with FakeLLM() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.base_url.removesuffix("/v1"))
        with OpenAIResponder(target, "tiny") as responder:
            assert ask(responder).strip() == "I do not know that yet."
    assert proxy.requests[-1]["path"] == f"{target}/chat/completions"  # absolute: a proxy's


def test_https_proxy_from_the_environment_is_asked_for_a_tunnel(monkeypatch):
    with FakeLLM() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.base_url.removesuffix("/v1"))
        with OpenAIResponder("https://127.0.0.1:9/v1", "tiny") as responder:
            with pytest.raises(ResponderError) as err:
                ask(responder)
    assert proxy.requests == [{"method": "CONNECT", "path": "127.0.0.1:9", "body": None}]
    assert str(err.value).startswith("cannot reach https://127.0.0.1:9/v1 (")  # refused: 403
    assert "\n" not in str(err.value)


def test_no_proxy_and_an_unusable_proxy_setting(monkeypatch):
    with FakeLLM() as llm:
        monkeypatch.setenv("HTTP_PROXY", dead_url().removesuffix("/v1"))
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        with OpenAIResponder(llm.base_url, "tiny") as responder:
            assert "do not know" in ask(responder)
    monkeypatch.setenv("HTTPS_PROXY", "ftp://proxy.example:21")
    with pytest.raises(ValueError, match="cannot use the proxy settings in the environment"):
        OpenAIResponder("https://api.example/v1", "tiny")


def test_the_reply_streams_in_pieces_as_they_arrive():
    with FakeLLM() as llm, OpenAIResponder(llm.base_url, "tiny") as responder:
        pieces = list(responder.reply("Hi!", [], user="ana", observation=OBS))
    assert pieces == ["I ", "do ", "not ", "know ", "that ", "yet. "]


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("unreachable", "cannot reach http://127.0.0.1:"),
        ("error", 'answered HTTP 500: {"error": "model exploded"}'),
        ("garbage", "malformed event from http://127.0.0.1:"),
        ("slow", "did not answer within 0.3 s"),
        ("cut", "the connection to http://127.0.0.1:"),
    ],
)
def test_each_failure_is_one_line_naming_the_endpoint(mode, message):
    if mode == "unreachable":
        url = dead_url()
        with (
            OpenAIResponder(url, "tiny", timeout=0.3) as responder,
            pytest.raises(ResponderError) as err,
        ):
            ask(responder)
    else:
        with FakeLLM(mode=mode) as llm:
            url = llm.base_url
            with (
                OpenAIResponder(url, "tiny", timeout=0.3) as responder,
                pytest.raises(ResponderError) as err,
            ):
                ask(responder)
    text = str(err.value)
    assert message in text and "\n" not in text
    assert url in text


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, made by the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem"), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(d / "cert.pem", d / "key.pem")
    return d / "cert.pem", server


def test_tls_trusts_the_certificates_ssl_cert_file_names(certificate, monkeypatch):
    cert, server = certificate
    with FakeLLM(tls=server) as llm:
        assert llm.base_url.startswith("https://")
        with OpenAIResponder(llm.base_url, "tiny") as untrusting:  # self-signed: refused
            with pytest.raises(ResponderError) as err:
                ask(untrusting)
        assert "CERTIFICATE_VERIFY_FAILED" in str(err.value) and "SSL_CERT_FILE" in str(err.value)
        assert "\n" not in str(err.value)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        with OpenAIResponder(llm.base_url, "tiny") as trusting:
            assert ask(trusting).strip() == "I do not know that yet."
    monkeypatch.setenv("SSL_CERT_FILE", str(cert.parent / "missing.pem"))
    with pytest.raises(ValueError, match="SSL_CERT_FILE"):
        OpenAIResponder(llm.base_url, "tiny")
