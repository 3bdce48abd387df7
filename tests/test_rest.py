"""gatedmem serve's REST API of the memories, through FastAPI's TestClient (httpx over ASGI)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from gatedmem.servers.proxy import create_app

KEY = "s3cret"
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
def api(fake_sqlite_memory):
    with TestClient(create_app(fake_sqlite_memory, api_key=KEY), headers=AUTH) as client:
        yield client


def error(resp, status: int) -> dict:
    """The OpenAI-style error of a response, after checking its status."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "code"}
    return body["error"]


def test_add_get_list_search_and_history(api):
    resp = api.post("/v1/users/ana/memories", json={"text": "My dog is called Rex."})
    assert resp.status_code == 201
    m = resp.json()
    assert m["user"] == "ana" and m["text"] == "My dog is called Rex." and m["active"]
    got = api.get(f"/v1/users/ana/memories/{m['id']}").json()
    assert {**got, "strength": None} == {**m, "strength": None}  # strength: as of each call
    assert [x["id"] for x in api.get("/v1/users/ana/memories").json()] == [m["id"]]
    hits = api.get("/v1/users/ana/memories/search", params={"q": "my dog Rex"}).json()
    assert [h["memory_id"] for h in hits] == [m["id"]] and "output" in hits[0]["gates"]
    events = api.get(f"/v1/users/ana/memories/{m['id']}/history").json()
    assert [e["kind"] for e in events] == ["added"]


def test_forget_restore_pin_unpin(api):
    mid = api.post("/v1/users/ana/memories", json={"text": "I live in Lyon."}).json()["id"]
    gone = api.delete(f"/v1/users/ana/memories/{mid}").json()
    assert gone["forgotten"] and not gone["active"]
    assert api.get("/v1/users/ana/memories").json() == []
    assert [x["id"] for x in api.get("/v1/users/ana/memories?all=true").json()] == [mid]
    assert api.post(f"/v1/users/ana/memories/{mid}/restore").json()["active"]
    assert api.post(f"/v1/users/ana/memories/{mid}/pin").json()["pinned"]
    assert not api.post(f"/v1/users/ana/memories/{mid}/unpin").json()["pinned"]
    events = api.get(f"/v1/users/ana/memories/{mid}/history").json()
    assert [e["kind"] for e in events] == ["added", "forgotten", "restored", "pinned", "unpinned"]


def test_pinned_on_creation_and_metadata_kept(api):
    body = {"text": "My birthday is 3 May.", "pinned": True, "metadata": {"src": "crm"}}
    m = api.post("/v1/users/ana/memories", json=body).json()
    assert m["pinned"] and m["metadata"] == {"src": "crm"}


def test_a_field_the_api_does_not_know_is_refused_not_ignored(api):
    r = api.post("/v1/users/ana/memories", json={"text": "My birthday is 3 May.", "pin": True})
    assert r.status_code == 400 and r.json()["error"]["message"].startswith("pin: Extra inputs")
    assert api.get("/v1/users/ana/memories").json() == []


def test_a_user_with_nothing_stored_has_no_memories(api):
    assert api.get("/v1/users/nobody/memories").json() == []
    assert api.get("/v1/users/nobody/memories/search?q=dog").json() == []


def test_another_users_memory_answers_like_one_that_does_not_exist(api):
    mid = api.post("/v1/users/ana/memories", json={"text": "My PIN is 1234."}).json()["id"]
    api.post("/v1/users/bob/memories", json={"text": "I like tea."})
    for user in ("bob", "nobody"):
        for method, path in [
            ("GET", ""),
            ("DELETE", ""),
            ("POST", "/restore"),
            ("POST", "/pin"),
            ("POST", "/unpin"),
            ("GET", "/history"),
        ]:
            resp = api.request(method, f"/v1/users/{user}/memories/{mid}{path}")
            e = error(resp, 404)
            assert e["message"] == f"no memory with id {mid} for user {user!r}"
            assert e["code"] == "memory_not_found"
    missing = error(api.get("/v1/users/ana/memories/999999"), 404)
    assert missing["message"] == "no memory with id 999999 for user 'ana'"
    # ... and ana's memory is untouched by bob's attempts.
    m = api.get(f"/v1/users/ana/memories/{mid}").json()
    assert m["active"] and not m["pinned"]


def test_bad_input_is_a_400_with_one_line(api):
    e = error(api.get("/v1/users/ana/memories/abc"), 400)
    assert e["message"].startswith("memory_id: ") and "integer" in e["message"]
    e = error(api.post("/v1/users/ana/memories", json={"text": "   "}), 400)
    assert e["code"] == "empty_text" and "\n" not in e["message"]
    assert error(api.post("/v1/users/ana/memories", json={}), 400)["message"].startswith("text")
    e = error(api.post("/v1/users/ana/memories", json={"text": "x" * 20_001}), 400)
    assert e["code"] == "text_too_long"
    assert error(api.get("/v1/users/%20/memories"), 400)["code"] == "invalid_user"
    assert error(api.get("/v1/users/ana/memories/search"), 400)["message"].startswith("q: ")
    assert error(api.get("/v1/users/ana/memories/search?q=a&k=0"), 400)["message"].startswith("k")
    assert error(api.get("/v1/nothing/here"), 404)["code"] == "not_found"


def test_metadata_that_is_not_strict_json_is_a_400_and_stores_nothing(api):
    # Python's JSON reader takes NaN; stored, it made every later list or search a 500.
    body = '{"text": "My cat is called Tom.", "metadata": {"x": NaN}}'
    headers = {"Content-Type": "application/json"}
    e = error(api.post("/v1/users/ana/memories", content=body, headers=headers), 400)
    assert "JSON" in e["message"] and "\n" not in e["message"]
    assert api.get("/v1/users/ana/memories").status_code in (200, 404)
    assert api.get("/v1/users/ana/memories/search?q=cat").status_code in (200, 404)
    assert "Tom" not in api.get("/v1/users/ana/memories").text


def test_a_missing_or_wrong_bearer_token_is_a_401(api):
    path = "/v1/users/ana/memories"
    resp = api.get(path, headers={"Authorization": ""})
    e = error(resp, 401)
    assert e["code"] == "missing_api_key" and e["type"] == "authentication_error"
    assert resp.headers["WWW-Authenticate"] == "Bearer"
    assert error(api.get(path, headers={"Authorization": "Bearer nope"}), 401)["code"] == (
        "invalid_api_key"
    )
    assert error(api.get(path, headers={"Authorization": f"Basic {KEY}"}), 401)
    assert error(api.post(path, json={"text": "hi"}, headers={"Authorization": ""}), 401)
    assert api.get("/v1/users/ana/memories").status_code == 200
    # Nothing was written by the refused requests.
    assert api.get("/v1/users/ana/memories?all=true").json() == []


def test_the_openapi_page_documents_every_route(api):
    assert api.get("/docs", headers={"Authorization": ""}).status_code == 200
    paths = api.get("/openapi.json").json()["paths"]
    assert set(paths) == {
        "/v1/chat/completions",
        "/v1/models",
        "/v1/users/{user}/memories",
        "/v1/users/{user}/memories/search",
        "/v1/users/{user}/memories/{memory_id}",
        "/v1/users/{user}/memories/{memory_id}/restore",
        "/v1/users/{user}/memories/{memory_id}/pin",
        "/v1/users/{user}/memories/{memory_id}/unpin",
        "/v1/users/{user}/memories/{memory_id}/history",
    }
    listed = paths["/v1/users/{user}/memories"]["get"]["responses"]["200"]
    assert "Memory" in str(listed["content"])


def test_a_body_that_is_missing_not_json_or_not_an_object_says_so(api):
    path, headers = "/v1/users/ana/memories", {"Content-Type": "application/json"}
    for content, said in [
        (None, "the request body is missing"),
        (b"{bad", "the request body is not valid JSON"),
        (b'[{"text": "x"}]', "the request body must be a JSON object"),
    ]:
        e = error(api.post(path, content=content, headers=headers), 400)
        assert e["message"].startswith(said), e
    assert api.get(f"{path}?all=true").json() == []


def test_the_openapi_page_says_what_the_server_answers(api):
    doc = api.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert schemas["Error"]["required"] == ["error"]
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            responses = op["responses"]
            assert "422" not in responses, (path, method)
            assert "Error" in str(responses["400"]["content"]), (path, method)
            assert "Error" in str(responses["401"]["content"]), (path, method)
    # Every field a memory comes with is on the page.
    m = api.post("/v1/users/ana/memories", json={"text": "My dog is called Rex."}).json()
    assert set(m) <= set(schemas["Memory"]["properties"])


def test_without_an_upstream_chat_says_how_to_get_one(api):
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "user": "ana"}
    e = error(api.post("/v1/chat/completions", json=body), 404)
    assert e["code"] == "no_upstream" and "--upstream" in e["message"]
    assert api.get("/v1/users/ana/memories?all=true").json() == []


def test_without_a_key_anyone_may_call(fake_sqlite_memory):
    with TestClient(create_app(fake_sqlite_memory)) as client:
        assert client.get("/v1/users/ana/memories").status_code == 200


def test_metadata_stored_before_it_was_checked_still_lists_searches_and_exports(
    api, fake_sqlite_memory
):
    # A NaN written by an earlier version (metadata was not checked as strict JSON).
    from gatedmem.memory.storage import MemoryRow
    from sqlalchemy import update

    m = fake_sqlite_memory.add("My cat is called Tom.", user="ana", metadata={"x": 1.0})
    with fake_sqlite_memory.store.session(write=True) as s:
        s.execute(update(MemoryRow).where(MemoryRow.id == m.id).values(meta={"x": float("nan")}))
    listed = api.get("/v1/users/ana/memories")
    assert listed.status_code == 200 and listed.json()[0]["metadata"] == {"x": None}
    assert api.get("/v1/users/ana/memories/search?q=cat").status_code == 200
    data = fake_sqlite_memory.export(user="ana")
    assert data["memories"][0]["metadata"] == {"x": None}
    assert fake_sqlite_memory.import_(data, user="ana-copy")
