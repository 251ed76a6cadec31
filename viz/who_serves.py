"""The picture of one who-serves answer: the question in the middle, every responsible party
around it, each reached along the path that proves it, and the contracted providers.

Only the answer is drawn (no store reads), so the picture shows exactly what the API said.
The question is personal data in the moment: the picture shows the home postcode as PC4
only, never the full PC6, because a saved picture travels further than an answer on screen.
"""

from __future__ import annotations

from graph.queries.answer import Answer, Contact, Provider, Role, Step
from graph.queries.names import REL_WORDS
from viz.model import Network, NetworkBuilder
from viz.styles import KIND_NAME, group_of, node_label, short

QUESTION = "vraag"
HOME_PC6 = "PC6:woonadres"

#: Short edge labels per role of the rules table; the full rule goes into the tooltip.
ROLE_LABEL: dict[str, str] = {
    "zorgplicht": "zorgplicht",
    "swv": "extra ondersteuning, TLV",
    "gemeente_jeugdhulp": "betaalt jeugdhulp",
    "toegang": "toegang jeugdhulp",
    "jeugdregio": "jeugdregio",
    "leerplicht": "leerplicht",
    "rmc": "RMC",
    "ggd": "GGD",
}

#: The kind of node a role names, for roles whose path does not show it.
ROLE_KIND: dict[str, tuple[str, str | None]] = {
    "zorgplicht": ("Schoolbestuur", None),
    "swv": ("Swv", None),
    "gemeente_jeugdhulp": ("Gemeente", None),
    "toegang": ("Wijkteam", None),
    "jeugdregio": ("Regio", "jeugdregio"),
    "leerplicht": ("Gemeente", None),
    "rmc": ("Regio", "rmc"),
    "ggd": ("Regio", "ggd"),
}


def who_serves_network(answer: Answer) -> Network:
    """Draw ``answer``: node ids are the graph's ``Kind:id`` (``Swv:PO2704``), so a picture can
    be checked against the answer it came from."""
    pc4 = answer.postcode[:4]
    school_naam = answer.school_naam or f"School {answer.school}"
    need_naam = answer.need_naam or answer.need
    b = NetworkBuilder(f"Wie helpt deze leerling? {school_naam}, postcode {pc4}")
    regular = "ja" if answer.enrolled_regular else "nee"
    b.node(
        QUESTION,
        f"Vraag\n{short(school_naam, 24)}\npostcode {pc4}\n{short(need_naam, 24)}",
        "vraag",
        f"Vraag van de school: {school_naam}, woonadres in postcode {pc4}, "
        f"hulpvraag {need_naam}, peildatum {answer.date}, "
        f"ingeschreven op een reguliere school: {regular}.\n"
        "De vraag wordt beantwoord en niet bewaard.",
    )
    school = f"School:{answer.school}"
    home = f"PC4:{pc4}"
    b.node(
        school, f"School\n{short(school_naam, 24)}", "school", f"{school_naam}: de school van inschrijving"
    )
    b.node(home, f"Postcode\n{pc4}", "pc4", f"Postcode {pc4}: het woonadres van de leerling")
    b.edge(QUESTION, school, "school", "De school waar de leerling is ingeschreven", 2)
    b.edge(QUESTION, home, "woonadres", "Het postcodegebied (PC4) van het woonadres", 2)
    for role in answer.roles:
        _draw_role_node(b, role)
    for role in answer.roles:
        _draw_role_path(b, role)
    for rank, provider in enumerate(answer.providers, 1):
        _draw_provider(b, provider, rank, answer.need_naam or answer.need)
    b.notes += [f"Let op: {w}" for w in answer.warnings]
    return b.build()


def _node_ref(step_node: str) -> str:
    """The node id a path step is drawn as: the full PC6 of the home is masked."""
    return HOME_PC6 if step_node.startswith("PC6:") else step_node


def _source(step: Step) -> str:
    if not step.source:
        return ""
    return f" [{step.source}{', ' + step.source_date if step.source_date else ''}]"


def _step_text(step: Step) -> str:
    if step.node:
        ref = _node_ref(step.node)
        shown = "volledige postcode van het woonadres (PC6)" if ref == HOME_PC6 else step.label or ref
        return f"{shown}{_source(step)}"
    return f"  —{step.label or step.rel}—{_source(step)}"


def _add_path_node(b: NetworkBuilder, ref: str, label: str = "") -> None:
    if b.has(ref):
        return
    if ref == HOME_PC6:
        b.node(ref, "Woonadres\n(PC6)", "gebied", "De volledige postcode van het woonadres (niet getoond)")
        return
    kind, _, ident = ref.partition(":")
    word = KIND_NAME.get(kind, kind)
    b.node(ref, f"{word}\n{short(label or ident, 24)}", group_of(kind), label or f"{word} {ident}")


def _role_target(role: Role, chain: list[str]) -> tuple[str, str]:
    """The node id the role names and its style group: from the path when it shows the node,
    else from the role's usual kind (a central access is the gemeente itself)."""
    for ref in reversed(chain):
        kind, _, ident = ref.partition(":")
        if ident == role.id:
            soort = ROLE_KIND.get(role.role, ("", None))[1]
            return ref, group_of(kind, soort)
    kind, soort = ROLE_KIND.get(role.role, ("Regio", None))
    if role.role == "toegang" and role.niveau == "centraal":
        kind = "Gemeente"
    return f"{kind}:{role.id}", group_of(kind, soort)


def _contact_text(contacts: list[Contact]) -> list[str]:
    lines = []
    for c in contacts:
        parts = [p for p in (c.rol, c.email, c.telefoon, c.website) if p]
        if parts:
            lines.append("Contact: " + ", ".join(parts))
    return lines


def _draw_role_node(b: NetworkBuilder, role: Role) -> None:
    """The node the role names, with its name, contacts and level; drawn before any path so
    that a node met on another role's path still gets its proper name."""
    label = ROLE_LABEL.get(role.role, role.role)
    if role.id is None:
        ref = f"onbekend:{role.role}"
        b.node(
            ref, f"{label}:\nonbekend", "onbekend", f"{label}: niet bekend in de kaart.\nRegel: {role.rule}"
        )
        b.edge(QUESTION, ref, label, role.rule)
        return
    target, group = _role_target(role, [_node_ref(s.node) for s in role.path if s.node])
    kind = target.partition(":")[0]
    lines = [role.name or f"{KIND_NAME.get(kind, kind)} {role.id}", f"Rol: {label}"]
    lines += _contact_text(role.contact)
    if role.niveau:
        lines.append(f"Gevonden op niveau: {role.niveau}")
    b.node(target, node_label(kind, role.id, role.name), group, "\n".join(lines))


def _draw_role_path(b: NetworkBuilder, role: Role) -> None:
    """Walk the proof path: each pair of consecutive nodes is an edge labelled by its
    relation; the last one, into the role's node, by the role with the rule in its tooltip."""
    if role.id is None:
        return
    label = ROLE_LABEL.get(role.role, role.role)
    target, _ = _role_target(role, [_node_ref(s.node) for s in role.path if s.node])
    proof = "Regel: " + role.rule + "\nBewijs:\n" + "\n".join(_step_text(s) for s in role.path)
    previous: str | None = None
    pending: Step | None = None
    reached = False
    for step in role.path:
        if step.rel:
            pending = step
            continue
        if not step.node:
            continue
        ref = _node_ref(step.node)
        if previous is None and not b.has(ref):
            # a path that starts at a place not drawn yet (the buurt of the home, say)
            _add_path_node(b, ref, step.label)
            b.edge(QUESTION, ref, "woonadres ligt in", "Het woonadres ligt in dit gebied")
        _add_path_node(b, ref, step.label)
        if previous is not None and previous != ref:
            if ref == target:
                b.edge(previous, ref, label, f"{label}: {proof}", 2)
                reached = True
            else:
                rel = pending.rel if pending and pending.rel else ""
                b.edge(previous, ref, REL_WORDS.get(rel, rel.lower()), f"{rel}{_source(pending or Step())}")
        previous, pending = ref, None
    if not reached:
        b.edge(QUESTION, target, label, f"{label}: {proof}", 2)


def _buyer_ref(b: NetworkBuilder, p: Provider) -> str:
    """The node of the gemeente or jeugdregio that bought the care (usually drawn already)."""
    opdrachtgever = p.opdrachtgever
    kind = "Gemeente" if opdrachtgever.upper().startswith("GM") else "Regio"
    ref = f"{kind}:{opdrachtgever}"
    if not b.has(ref):
        soort = "jeugdregio" if opdrachtgever.upper().startswith("JZ") else None
        naam = p.opdrachtgever_naam or opdrachtgever
        b.node(ref, short(naam, 24), group_of(kind, soort), f"Opdrachtgever {naam}")
    return ref


def _km(value: float | None) -> str:
    return "onbekend" if value is None else f"{value:.1f} km".replace(".", ",")


def _draw_provider(b: NetworkBuilder, p: Provider, rank: int, need: str) -> None:
    ref = f"Zorgaanbieder:{p.id}"
    lines = [
        f"Zorgaanbieder {p.name}",
        f"Plaats {rank} in de volgorde: kortste wachttijd, dan dichtst bij huis",
        f"Afstand tot het woonadres: {_km(p.distance_home_km)}; tot de school: {_km(p.distance_school_km)}",
    ]
    for offer in p.offers:
        text = f"Aanbod: {offer.naam or offer.id}"
        if offer.wachttijd_weken is not None:
            text += (
                f", wachttijd {offer.wachttijd_weken:g} weken "
                f"(op {offer.wachttijd_datum}, bron: {offer.wachttijd_bron})"
            )
        lines.append(text)
    b.node(ref, short(f"{rank}. {p.name}"), "zorgaanbieder", "\n".join(lines))
    contract = f"Contract:{p.contract}"
    b.node(contract, f"Contract\n{short(p.contract, 24)}", "contract", f"Contract {p.contract}")
    sources = "\n".join(_step_text(s) for s in p.path)
    b.edge(
        _buyer_ref(b, p),
        contract,
        "koopt in",
        f"{p.opdrachtgever_naam or p.opdrachtgever} kocht zorg in met contract {p.contract}"
        f"\nBewijs:\n{sources}",
    )
    b.edge(contract, ref, "gecontracteerd", f"Gecontracteerd voor hulpvraag {need} op de peildatum", 2)
