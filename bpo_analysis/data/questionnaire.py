"""The maturity questionnaire: the levels, the questions and the targets of each level.

Reference data: the maturity step scores the answers, the client's checks use it.

Seed 001 (the 2010 blueprint of Taiwan's contact-centre industry) rates centres on four
levels of management maturity over three layers -- technology, people and process:

1. **operational** (作業型) -- basic infrastructure only, resources used inefficiently,
   service targets hard to meet, costs rising, no time to develop people;
2. **refined** (精緻型) -- more proactive management that pursues root causes and costs,
   multimedia service (web, chat, email), routing, scheduling and skill development;
3. **strategic** (策略型) -- key to the company's success and aligned with its goals,
   improving business processes and planning people's development;
4. **visionary** (願景型) -- creates new economic value, shifts the company's focus, its
   processes reach into other departments.

Each level lists the targets (欲行目標) a centre at that level pursues to reach the next;
they are :data:`LEVEL_KPIS`. The questionnaire (:data:`QUESTIONNAIRE`) asks, for five
topics per layer, which level's description fits; ``maturity_answers.yaml`` holds the
answers of one or more subjects (the client's own centre, each vendor).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bpo_analysis.data.io import read_document, yaml_line
from bpo_analysis.data.models import MaturityAnswers
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.i18n import N_

__all__ = ["DIMENSIONS", "LEVELS", "LEVEL_DESCRIPTIONS", "LEVEL_KPIS", "QUESTIONNAIRE",
           "Question", "check_answers", "level_name", "read_maturity_answers"]

LEVELS = ("operational", "refined", "strategic", "visionary")
DIMENSIONS = ("technology", "people", "process")

#: What each level is (seed 001's description of the four kinds of centre).
LEVEL_DESCRIPTIONS = {
    1: N_("basic infrastructure only; resources used inefficiently; service targets hard "
          "to meet; costs keep rising; no time to develop people"),
    2: N_("more proactive management; root causes and cost control pursued; web, chat and "
          "email alongside voice; routing, scheduling and skill development"),
    3: N_("key to the company's success and aligned with its goals; business processes "
          "improved; people's development planned"),
    4: N_("creates new economic value; shifts the company's focus; the centre's processes "
          "reach into other departments"),
}

#: The targets (欲行目標) seed 001 gives each level: (KPI id, name). Ids of the KPI
#: dictionary (:data:`bpo_analysis.data.kpis.KPIS`) are reused where the KPI is the same.
LEVEL_KPIS: dict[int, tuple[tuple[str, str], ...]] = {
    1: (("service_level", N_("Service level")), ("aht", N_("Average handle time")),
        ("asa", N_("Average speed of answer")), ("qa_score", N_("Quality score")),
        ("occupancy", N_("Occupancy")), ("adherence", N_("Real-time schedule adherence"))),
    2: (("fcr", N_("First-contact resolution")),
        ("upsell_rate", N_("Up-sell completion rate")),
        ("cross_sell_rate", N_("Cross-sell completion rate")),
        ("csat", N_("Customer satisfaction"))),
    3: (("employee_satisfaction", N_("Employee satisfaction")),
        ("csat", N_("Customer satisfaction")),
        ("root_cause_rate", N_("Contacts with a root cause analysed"))),
    4: (("customer_loyalty", N_("Customer loyalty")), ("csat", N_("Customer satisfaction")),
        ("customer_operating_profit", N_("Customer-focused operating profit")),
        ("revenue_contribution", N_("Revenue contribution of the centre")),
        ("agent_revenue_contribution", N_("Revenue contribution per agent"))),
}


@dataclass(frozen=True)
class Question:
    """One topic of the questionnaire: what each level looks like on it.

    The topic and the levels' descriptions are English names marked with
    :func:`~bpo_analysis.i18n.N_`: show them with :func:`~bpo_analysis.i18n.term`.
    """

    id: str
    topic: str
    levels: tuple[str, str, str, str]  # operational, refined, strategic, visionary


def _q(qid: str, topic: str, *levels: str) -> Question:
    return Question(qid, topic, levels)  # type: ignore[arg-type]


#: Five topics per layer; an answer is the level whose description fits best (1-4).
QUESTIONNAIRE: dict[str, tuple[Question, ...]] = {
    "technology": (
        _q("acd_ivr", N_("Routing and self-service (PBX/ACD, IVR)"),
           N_("a basic ACD queue and a fixed IVR menu"),
           N_("skills-based routing; IVR self-service for simple requests"),
           N_("routing by customer value and intent; IVR tuned from contact reasons"),
           N_("routing and self-service designed with other departments around the "
              "customer journey")),
        _q("cti_crm", N_("CTI and customer data"),
           N_("agents look customers up by hand in separate systems"),
           N_("CTI screen-pop with the customer record and contact history"),
           N_("one customer view shared with sales and marketing; next-best-action prompts"),
           N_("customer data from the centre drives products and offers company-wide")),
        _q("omnichannel", N_("Channels"),
           N_("voice only, or each channel a separate silo"),
           N_("web, chat and email handled alongside voice"),
           N_("one queue and one history across channels; the mix steered by cost and CSAT"),
           N_("channels reach into other departments' processes (orders, returns, "
              "delivery)")),
        _q("workforce_management", N_("Workforce-management tools"),
           N_("spreadsheets; schedules by headcount, not by interval demand"),
           N_("a WFM tool: interval forecasts, Erlang staffing, real-time adherence"),
           N_("scenario planning linked to the marketing calendar and business plans"),
           N_("capacity planned with the business as a shared service")),
        _q("analytics", N_("Reporting and analytics"),
           N_("daily volume reports from the switch"),
           N_("KPI dashboards on written, consistent definitions"),
           N_("root-cause, speech and text analytics feeding business decisions"),
           N_("customer insight used in product, pricing and revenue planning")),
    ),
    "people": (
        _q("recruiting", N_("Recruiting"),
           N_("hiring to refill seats as people leave"),
           N_("profile-based hiring through several recruiting channels"),
           N_("a workforce plan aligned with the business plan; an employer brand"),
           N_("the centre is a talent source for the whole company")),
        _q("training", N_("Training"),
           N_("about a month of basic induction (systems, scripts, role play) and little "
              "after"),
           N_("skill paths per queue; refresher training from QA findings"),
           N_("best-practice programmes; gold-class agents train others"),
           N_("agents trained in product and sales expertise that earns revenue")),
        _q("coaching", N_("Coaching"),
           N_("feedback only after complaints"),
           N_("regular calibration and one-to-one coaching on the KPIs"),
           N_("coaching on customer outcomes and root causes"),
           N_("continuous peer learning with other departments")),
        _q("incentives", N_("Incentives"),
           N_("flat pay, or incentives on volume handled"),
           N_("incentives on a balanced KPI set (quality, FCR, CSAT)"),
           N_("incentives on customer and employee satisfaction and business goals"),
           N_("agents share in the revenue and profit they bring")),
        _q("career_paths", N_("Career paths and retention"),
           N_("no career path; attrition answered by re-hiring"),
           N_("skill levels and career plans that keep the best agents"),
           N_("development plans; employee satisfaction measured and acted on"),
           N_("the centre grows leaders for other departments")),
    ),
    "process": (
        _q("kpi_framework", N_("KPI framework"),
           N_("productivity KPIs only: service level, AHT, ASA, occupancy"),
           N_("a KPI set with written definitions, FCR and CSAT included"),
           N_("KPIs aligned with business goals; employee satisfaction tracked"),
           N_("the centre's KPIs are company results: loyalty, profit, revenue")),
        _q("quality_monitoring", N_("Quality monitoring"),
           N_("occasional call listening, no scorecard"),
           N_("a calibrated QA scorecard sampling every channel"),
           N_("QA linked to CSAT and root causes; best practices spread"),
           N_("quality standards shared with other departments' customer processes")),
        _q("forecasting_scheduling", N_("Forecasting and scheduling"),
           N_("schedules by habit: peaks wait, quiet hours idle"),
           N_("interval forecasts and schedules to a service target; real-time adherence"),
           N_("forecasts built with marketing and sales plans; surge plans ready"),
           N_("demand shaped with the business (proactive contact, self-service)")),
        _q("knowledge_base", N_("Knowledge management"),
           N_("scripts and notes in files"),
           N_("a maintained knowledge base agents search"),
           N_("the knowledge base fed by root-cause analysis and open to customers"),
           N_("the centre's knowledge shapes products and policies")),
        _q("customer_feedback_loop", N_("Customer feedback"),
           N_("complaints handled case by case"),
           N_("CSAT surveys and complaint trends reported every month"),
           N_("customer feedback brought into the company's decisions"),
           N_("customer loyalty and feedback steer the company's focus")),
    ),
}

_SCALE = f"a level 1 ({LEVELS[0]}) to 4 ({LEVELS[3]})"


def level_name(level: int) -> str:
    """Name a maturity level: 'operational', 'refined', 'strategic' or 'visionary' for 1-4.

    Parameters
    ----------
    level : int
        The level, 1 to 4.

    Returns
    -------
    str
        Its name (:data:`LEVELS`).

    Raises
    ------
    InputError
        A level that is not a whole number from 1 to 4.

    Examples
    --------
    A centre with proactive management and web, chat and email beside voice:

    >>> level_name(2)
    'refined'
    """
    if not (isinstance(level, int | np.integer) and 1 <= level <= 4):
        raise InputError("level", level, _SCALE)
    return LEVELS[int(level) - 1]


def check_answers(answers: MaturityAnswers, path: str | Path) -> None:
    """Check that every subject answers every question on the 1-4 scale, and nothing else.

    Parameters
    ----------
    answers : MaturityAnswers
        The validated answers (one assessment per subject).
    path : str or Path
        The file, for the error (its line of the key is looked up).

    Raises
    ------
    DataError
        The first break: a layer or a question not answered, a question the
        questionnaire (:data:`QUESTIONNAIRE`) does not ask, or an answer off the scale;
        names the file, line, subject and question (``assessments.<i>.answers.<layer>
        .<question>``).
    """
    for i, a in enumerate(answers.assessments):
        for dim, questions in QUESTIONNAIRE.items():
            given = a.answers.get(dim)
            ids = [q.id for q in questions]
            if given is None:
                raise DataError(f"{a.subject}: the {dim} questions are not answered",
                                file=path, row=yaml_line(path, ("assessments", i, "answers")),
                                column=f"assessments.{i}.answers.{dim}",
                                allowed=f"answers to {ids}")
            for qid, v in given.items():
                where = ("assessments", i, "answers", dim, qid)
                if qid not in ids:
                    raise DataError(f"{a.subject}: a question the questionnaire does not ask",
                                    file=path, row=yaml_line(path, where),
                                    column=".".join(map(str, where)), value=qid,
                                    allowed=f"the {dim} questions {ids}")
                if not 1 <= v <= 4:
                    raise DataError(f"{a.subject}: answer outside the questionnaire's scale",
                                    file=path, row=yaml_line(path, where),
                                    column=".".join(map(str, where)), value=v, allowed=_SCALE)
            missing = [q for q in ids if q not in given]
            if missing:
                raise DataError(f"{a.subject}: question {dim}.{missing[0]} is not answered",
                                file=path,
                                row=yaml_line(path, ("assessments", i, "answers", dim)),
                                column=f"assessments.{i}.answers.{dim}.{missing[0]}",
                                allowed=f"an answer ({_SCALE}) to every {dim} question: {ids}")


def read_maturity_answers(path: str | Path) -> MaturityAnswers:
    """Read one answers file (``maturity_answers.yaml``'s schema), validated and checked.

    Checked against the questionnaire as in a client folder (e.g. the vendors' answers
    kept apart from the client's).

    Parameters
    ----------
    path : str or Path
        A YAML file with the keys of ``maturity_answers.yaml``.

    Returns
    -------
    MaturityAnswers
        The validated answers.

    Raises
    ------
    DataError
        An invalid file, or answers that do not fit the questionnaire
        (:func:`check_answers`).

    Examples
    --------
    >>> answers = read_maturity_answers("data/sample/maturity_answers.yaml")
    >>> [a.subject for a in answers.assessments]
    ['Formosa Click in-house centre', 'V02 Harbor Contact Services']
    """
    answers, src = read_document(path, MaturityAnswers)
    check_answers(answers, src.path)  # type: ignore[arg-type]
    return answers  # type: ignore[return-value]
