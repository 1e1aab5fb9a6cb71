"""The citizen's choices and the judge's verdicts on recorded transcripts (no Rasa needed)."""

from tests.simulator.citizen import Action, Button, Citizen, Reply
from tests.simulator.judge import judge
from tests.simulator.player import Step, Transcript, asked
from tests.simulator.script import Conversation, parse

FACTS = {"description": "got mampet", "category": "saluran_air", "photo": False,
         "location": "jl. mawar 3, kel. senen"}  # fmt: skip
LEWATI = Button("Lewati", "/skip")
KIRIM = Button("Kirim", "/affirm")


def conversation(outcome: str, turns: list[dict[str, object]], **more: object) -> Conversation:
    raw = {"id": "T1", "facts": FACTS, "turns": turns, "expect": {"outcome": outcome, **more}}
    return parse([raw], "t")[0]


def step(action: Action, *texts: str, question: str | None = None) -> Step:
    return Step(action, [Reply(t) for t in texts], question)


def test_citizen_follows_the_script_then_answers_from_facts() -> None:
    c = conversation("filed", [{"say": "mau lapor"}, {"at": "location", "say": "bentar"}])
    citizen = Citizen(c)
    assert citizen.next(None, []) == Action("text", text="mau lapor", scripted=True)
    assert citizen.next("description", []) == Action("text", text="got mampet")
    top = (Button("Banjir & Genangan", '/choose_category{"category": "banjir"}'),
           Button("Lainnya", "/more_categories"))  # fmt: skip
    assert citizen.next("category", [Reply("kategori?", top)]).button == top[1]  # type: ignore[union-attr]
    rest = (Button("Saluran Air", '/choose_category{"category": "saluran_air"}'),)
    assert citizen.next("category", [Reply("kategori?", rest)]).button == rest[0]  # type: ignore[union-attr]
    assert citizen.next("photo", [Reply("foto?", (LEWATI,))]).button == LEWATI  # type: ignore[union-attr]
    assert citizen.next("location", []).text == "bentar"  # type: ignore[union-attr]
    assert citizen.next("location", []).text == FACTS["location"]  # type: ignore[union-attr]
    assert citizen.next("confirm", [Reply("benar?", (KIRIM,))]).button == KIRIM  # type: ignore[union-attr]
    assert citizen.next(None, []) is None


def test_a_turn_kept_for_a_question_never_asked_is_said_at_the_summary() -> None:
    citizen = Citizen(conversation("filed", [{"at": "category", "say": "parkir liar min"}]))
    assert citizen.next("photo", [Reply("foto?", (LEWATI,))]).button == LEWATI  # type: ignore[union-attr]
    said = citizen.next("confirm", [Reply("benar?", (KIRIM,))])
    assert said == Action("text", text="parkir liar min", scripted=True)


def test_citizen_who_came_to_report_goes_on_with_it_once() -> None:
    go_on = Button("Lanjutkan laporan", "/resume_report")
    offer = [Reply("Mau dilanjutkan?", (go_on, Button("Batalkan", "/cancel")))]
    citizen = Citizen(conversation("filed", []))
    assert citizen.next(None, offer).button == go_on  # type: ignore[union-attr]
    assert citizen.next(None, offer) is None
    assert Citizen(conversation("cancelled", [])).next(None, offer) is None


def test_asked_reads_the_form_the_summary_and_place_buttons() -> None:
    form = {"active_loop": {"name": "complaint_form"}, "slots": {"requested_slot": "photo"}}
    assert asked(form, []) == "photo"
    assert asked({"active_loop": {}, "slots": {"stage": "confirm"}}, []) == "confirm"
    place = [Reply("yang mana?", (Button("Senen", '/choose_place{"kelurahan_code": "x"}'),))]
    assert asked(form, place) == "place"
    assert asked({"slots": {}}, []) is None


def test_filed_needs_one_complaint_in_the_right_category_and_kelurahan() -> None:
    c = conversation("filed", [{"say": "got mampet"}], category="saluran_air", kelurahan="Senen")
    t = Transcript(c, 1, [step(Action("text", text="got mampet", scripted=True), "ok")])
    t.filed = [{"ticket": "JKT-AAAA-AAAA", "category": "saluran_air", "kelurahan": "SENEN"}]
    assert judge(t).passed
    t.filed[0]["category"] = "banjir"
    assert judge(t).reasons == ["filed as banjir, expected saluran_air"]
    t.filed = []
    assert not judge(t).passed


def test_emergency_turns_need_112_first_and_false_alarms_are_counted() -> None:
    c = conversation("cancelled", [{"say": "x", "emergency": True}])
    danger = Action("text", text="x", scripted=True, emergency=True)
    t = Transcript(c, 1, [step(danger, "Segera hubungi 112"), step(Action("text"), "telp 112")])
    verdict = judge(t)
    assert verdict.passed
    assert (verdict.emergency_hits, verdict.false_alarms) == (1, 1)
    late = Transcript(c, 1, [step(danger, "Kategori apa?", "hubungi 112")])
    assert not judge(late).passed
    ticket = Transcript(c, 1, [step(danger, "112"), step(Action("text"), "JKT-1120-A112")])
    assert judge(ticket).false_alarms == 0


def test_status_handoff_and_answered() -> None:
    c = conversation("status", [{"say": "jkt 7k3m q9xa?"}], ticket="JKT-7K3M-Q9XA")
    c = type(c)(**{**c.__dict__, "earlier": {"ticket": "JKT-7K3M-Q9XA", "status": "proses"}})
    said = Action("text", text="?", scripted=True)
    good = "Laporan JKT-7K3M-Q9XA (Sampah) sudah ditindaklanjuti. Status: Sedang ditindaklanjuti."
    t = Transcript(c, 1, [step(said, good)])
    t.filed = [{"ticket": "JKT-7K3M-Q9XA", "category": "sampah", "kelurahan": None}]
    assert judge(t).passed
    assert not judge(Transcript(c, 1, [step(said, "Status: Menunggu")])).passed
    h = conversation("handoff", [{"say": "petugas"}])
    handed = Transcript(h, 1, [step(said, "menghubungkan")], handoff=True)
    assert judge(handed).passed
    a = conversation("answered", [{"say": "halo"}])
    assert judge(Transcript(a, 1, [step(said, "Halo!")])).passed
    assert not judge(Transcript(a, 1, [step(said)])).passed


def test_samples_load() -> None:
    from pathlib import Path

    from tests.simulator.script import load

    samples = load(Path(__file__).with_name("samples.yml"))
    assert len(samples) >= 15
    assert len({s.id for s in samples}) == len(samples)
    assert {s.expect["outcome"] for s in samples} == {
        "filed", "cancelled", "status", "handoff", "emergency", "answered"
    }  # fmt: skip
