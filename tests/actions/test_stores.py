"""The tracker/lock store URLs and the endpoints files that use them."""

from __future__ import annotations

from conftest import ROOT

from bot.components.stores import UrlSQLTrackerStore, sql_store_kwargs


def test_sqlite_url_gives_a_file_database():
    kwargs = sql_store_kwargs("sqlite:///var/rasa-tracker.db")
    assert (kwargs["dialect"], kwargs["db"]) == ("sqlite", "var/rasa-tracker.db")


def test_postgres_url_gives_host_user_and_database():
    kwargs = sql_store_kwargs("postgresql+psycopg://rasa:secret@db.local:5433/rasa_tracker")
    assert kwargs["dialect"] == "postgresql"
    assert (kwargs["host"], kwargs["port"], kwargs["db"]) == ("db.local", 5433, "rasa_tracker")
    assert (kwargs["username"], kwargs["password"]) == ("rasa", "secret")


def test_endpoints_file_creates_a_persistent_sql_tracker_store(tmp_path, monkeypatch):
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import read_endpoint_config

    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("RASA_TRACKER_STORE_URL", f"sqlite:///{tmp_path}/tracker.db")
    config = read_endpoint_config(str(ROOT / "bot" / "endpoints.yml"), "tracker_store")
    store = TrackerStore.create(config, Domain.empty())
    assert isinstance(store, UrlSQLTrackerStore)
    assert (tmp_path / "tracker.db").exists()


def test_redis_endpoints_file_creates_the_redis_lock_store(monkeypatch):
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import read_endpoint_config

    from bot.components.stores import UrlRedisLockStore

    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("RASA_TRACKER_STORE_URL", "sqlite:///var/rasa-tracker.db")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    config = read_endpoint_config(str(ROOT / "bot" / "endpoints.redis.yml"), "lock_store")
    store = LockStore.create(config)
    assert isinstance(store, UrlRedisLockStore)
    assert store.red.connection_pool.connection_kwargs["db"] == 3


def test_action_replies_are_still_validated_with_the_compiled_schema():
    import pytest
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    from bot.components import action_validation

    assert RemoteAction._validate_action_result is action_validation._validate_action_result
    action = RemoteAction("action_check_status", None)
    good = {"events": [{"event": "slot", "name": "ticket_id", "value": None}], "responses": []}
    assert action._validate_action_result(good) is True
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": [{"event": "slot", "name": 5}], "responses": []})


def test_event_types_are_looked_up_once_and_unknown_ones_still_fail():
    import pytest
    from rasa.shared.core.events import Event, SlotSet, UserUttered

    from bot.components import event_types

    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("user") is UserUttered
    assert event_types._known.cache_info().currsize >= 2
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def test_a_conversation_survives_a_restart_of_the_tracker_store(tmp_path):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(ROOT / "bot" / "domain"))
    url = f"sqlite:///{tmp_path}/tracker.db"
    tracker = DialogueStateTracker("telegram:123", domain.slots)
    tracker.update(UserUttered("got mampet", {"name": "report_complaint", "confidence": 1.0}))
    tracker.update(SlotSet("description", "got mampet"))

    import asyncio

    asyncio.run(UrlSQLTrackerStore(host=url, domain=domain).save(tracker))
    restarted = UrlSQLTrackerStore(host=url, domain=domain)
    again = asyncio.run(restarted.retrieve("telegram:123"))
    assert again is not None
    assert again.get_slot("description") == "got mampet"


def test_a_save_after_a_retrieve_stores_each_event_once_without_counting(tmp_path, monkeypatch):
    import asyncio

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(ROOT / "bot" / "domain"))
    store = UrlSQLTrackerStore(host=f"sqlite:///{tmp_path}/tracker.db", domain=domain)
    first = DialogueStateTracker("web:abc", domain.slots)
    first.update(UserUttered("got mampet", {"name": "report_complaint", "confidence": 1.0}))
    asyncio.run(store.save(first))  # nothing retrieved before: Rasa's own count

    counted = []
    original = SQLTrackerStore._additional_events
    monkeypatch.setattr(
        SQLTrackerStore,
        "_additional_events",
        lambda self, session, tracker: counted.append(1) or original(self, session, tracker),
    )
    for turn in range(3):
        tracker = asyncio.run(store.retrieve("web:abc"))
        tracker.update(SlotSet("description", f"turn {turn}"))
        asyncio.run(store.save(tracker))
    assert counted == []
    again = asyncio.run(store.retrieve("web:abc"))
    assert len(again.events) == 4
    assert again.get_slot("description") == "turn 2"


def test_sqlite_tracker_store_writes_ahead(tmp_path):
    from rasa.shared.core.domain import Domain

    store = UrlSQLTrackerStore(host=f"sqlite:///{tmp_path}/tracker.db", domain=Domain.empty())
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
