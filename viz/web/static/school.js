/* Sociale kaart: the school page. Finds a school, then asks "who serves this pupil?" by
   fetch() to the API, so the question (school + postcode + need) never appears in the page's
   URL, the browser history or a server log, and is not kept anywhere. Every value from the API
   is put in the page as text (textContent), never as HTML. */
"use strict";

(function () {
  const sk = window.sk;
  const el = sk.el;

  const ROLLEN = {
    zorgplicht: "Zorgplicht: het schoolbestuur",
    swv: "Extra ondersteuning en toelaatbaarheid (TLV): het samenwerkingsverband",
    gemeente_jeugdhulp: "Jeugdhulp: de woongemeente betaalt",
    toegang: "Toegang tot jeugdhulp: wijkteam of loket",
    jeugdregio: "Inkoop van jeugdhulp: de jeugdregio",
    leerplicht: "Leerplicht",
    rmc: "RMC: voortijdig schoolverlaten",
    ggd: "GGD: jeugdgezondheidszorg",
  };
  const POSTCODE = /^([1-9][0-9]{3})\s?([A-Za-z]{2})?$/;

  let gekozen = null;
  const zoekForm = document.getElementById("zoek-school");
  const zoekVeld = document.getElementById("school-zoek");
  const zoekStatus = document.getElementById("zoek-status");
  const keuze = document.getElementById("school-keuze");
  const lijst = document.getElementById("school-lijst");
  const gekozenTekst = document.getElementById("gekozen-school");
  const vraag = document.getElementById("vraag");
  const postcode = document.getElementById("postcode");
  const behoefte = document.getElementById("behoefte");
  const nietRegulier = document.getElementById("niet-regulier");
  const fout = document.getElementById("vraag-fout");
  const antwoord = document.getElementById("antwoord");

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function kies(item) {
    gekozen = item;
    gekozenTekst.textContent =
      "Gekozen school: " + item.naam + (item.plaats ? ", " + item.plaats : "") + " (" + item.id + ")";
  }

  // --- 1. Find the school --------------------------------------------------------------------

  zoekForm.addEventListener("submit", async function (event) {
    event.preventDefault();
    const q = zoekVeld.value.trim();
    if (q.length < 2) {
      zoekStatus.textContent = "Typ minstens 2 tekens van de naam, de plaats of de BRIN-code.";
      return;
    }
    zoekStatus.textContent = "Zoeken…";
    let data;
    try {
      data = await sk.getJson("/api/v1/search/schools?" + new URLSearchParams({ q: q, size: "10" }));
    } catch (err) {
      zoekStatus.textContent = "Zoeken lukte niet. Probeer het nog eens.";
      return;
    }
    const items = (data && data.items) || [];
    clear(lijst);
    items.forEach(function (item, i) {
      const li = el("li");
      const radio = el("input");
      radio.type = "radio";
      radio.name = "school";
      radio.id = "school-" + i;
      radio.value = String(item.id);
      radio.addEventListener("change", function () {
        if (radio.checked) kies(item);
      });
      const label = el("label");
      label.htmlFor = radio.id;
      label.appendChild(el("span", null, item.naam || item.id));
      const bij = [item.plaats, item.soort, item.id].filter(Boolean).join(" · ");
      label.appendChild(el("span", "klein", " — " + bij));
      li.appendChild(radio);
      li.appendChild(label);
      lijst.appendChild(li);
    });
    keuze.hidden = items.length === 0;
    const total = data && typeof data.total === "number" ? data.total : items.length;
    if (items.length === 0) {
      zoekStatus.textContent = "Geen school gevonden. Probeer een andere schrijfwijze of de plaats.";
    } else if (total > items.length) {
      zoekStatus.textContent = total + " scholen gevonden; de beste " + items.length + " staan hieronder.";
    } else {
      zoekStatus.textContent = items.length === 1 ? "1 school gevonden." : items.length + " scholen gevonden.";
    }
    if (items.length === 1) {
      lijst.querySelector("input").checked = true;
      kies(items[0]);
    }
  });

  // --- 2. Ask the question -------------------------------------------------------------------

  function markeer(veld, slecht) {
    if (slecht) veld.setAttribute("aria-invalid", "true");
    else veld.removeAttribute("aria-invalid");
  }

  function foutmelding(err) {
    const p = err.problem || {};
    const veld = ((p.errors || [])[0] || {}).field || "";
    if (err.status === 404 && veld === "postcode") {
      return "Deze postcode staat niet in de kaart. Controleer de postcode van het woonadres.";
    }
    if (err.status === 404 && veld === "school") {
      return "Deze school staat niet in de kaart. Zoek de school opnieuw.";
    }
    if (err.status === 422) {
      if (veld === "postcode") return "Deze postcode klopt niet: gebruik 4 cijfers, eventueel met 2 letters.";
      if (veld === "school") return "Deze schoolcode klopt niet. Zoek de school opnieuw.";
      return "De vraag is niet compleet of klopt niet. Controleer de invoer.";
    }
    if (err.status === 503) return "De kaart is even niet bereikbaar. Probeer het over een minuut opnieuw.";
    return "Er ging iets mis bij het beantwoorden van de vraag. Probeer het nog eens.";
  }

  // Each question gets a number; an answer (or error) that comes back after a newer question
  // was sent, or after the page was left, is dropped, so the page never shows an answer to
  // another question than the one on screen.
  let vraagNr = 0;
  let lopend = null; // the AbortController of the question in flight

  function verberg() {
    antwoord.hidden = true;
    ["rollen", "aanbieders", "waarschuwingen"].forEach(function (id) {
      clear(document.getElementById(id));
    });
    document.getElementById("antwoord-samenvatting").textContent = "";
  }

  vraag.addEventListener("submit", async function (event) {
    event.preventDefault();
    const nr = ++vraagNr;
    if (lopend) lopend.abort();
    lopend = null;
    verberg(); // an old answer must not stay visible under a new (or failed) question
    fout.textContent = "";
    const pc = postcode.value.trim().toUpperCase();
    const problemen = [];
    markeer(postcode, false);
    markeer(behoefte, false);
    if (!gekozen) problemen.push([zoekVeld, "Kies eerst een school (stap 1)."]);
    if (!POSTCODE.test(pc)) {
      markeer(postcode, true);
      problemen.push([postcode, "Vul de postcode van het woonadres in: 4 cijfers, eventueel met 2 letters."]);
    }
    if (!behoefte.value) {
      markeer(behoefte, true);
      problemen.push([behoefte, "Kies een hulpvraag."]);
    }
    if (problemen.length) {
      fout.textContent = problemen.map((p) => p[1]).join(" ");
      problemen[0][0].focus();
      return;
    }
    const school = gekozen; // the school asked about, even if another is picked meanwhile
    const params = new URLSearchParams({ school: gekozen.id, postcode: pc.replace(/\s/g, ""), need: behoefte.value });
    if (nietRegulier.checked) params.set("enrolled", "false");
    const peildatum = document.getElementById("peildatum");
    if (peildatum && /^\d{4}-\d{2}-\d{2}$/.test(peildatum.value)) params.set("date", peildatum.value);
    fout.textContent = "Even zoeken…";
    const controller = typeof AbortController === "function" ? new AbortController() : null;
    lopend = controller;
    let data;
    try {
      data = await sk.getJson("/api/v1/who-serves?" + params, controller ? controller.signal : undefined);
    } catch (err) {
      if (nr !== vraagNr) return; // a newer question (or leaving the page) took over
      lopend = null;
      fout.textContent = foutmelding(err);
      return;
    }
    if (nr !== vraagNr) return;
    lopend = null;
    fout.textContent = "";
    toon(data, school);
    params.set("format", "json");
    sk.drawNetwork(antwoord.querySelector("figure[data-netwerk]"), "/api/v1/network/who-serves?" + params);
  });

  // Leaving the page (or coming back to it from the back/forward cache) wipes the question and
  // the answer: the next person at this computer must not find a pupil's details with "Back".
  function vergeet() {
    vraagNr++;
    if (lopend) lopend.abort();
    lopend = null;
    vraag.reset();
    [postcode, behoefte].forEach(function (veld) {
      markeer(veld, false);
    });
    fout.textContent = "";
    zoekForm.reset();
    clear(lijst);
    keuze.hidden = true;
    zoekStatus.textContent = "";
    gekozen = null;
    gekozenTekst.textContent = "Nog geen school gekozen.";
    verberg();
    const figure = antwoord.querySelector("figure[data-netwerk]");
    if (figure) sk.clearNetwork(figure);
  }
  window.addEventListener("pagehide", vergeet);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) vergeet();
  });

  // --- 3. Show the answer --------------------------------------------------------------------

  function lijstMet(items) {
    const ul = el("ul");
    items.forEach(function (item) {
      ul.appendChild(item instanceof Node ? item : el("li", null, item));
    });
    return ul;
  }

  function link(tekst, href) {
    const safe = sk.safeHref(href);
    if (!safe) return el("span", null, tekst);
    const a = el("a", null, tekst);
    a.href = safe;
    if (/^https?:/.test(safe)) a.rel = "noopener noreferrer";
    return a;
  }

  function contactItem(c) {
    const li = el("li");
    li.appendChild(el("span", null, (c.rol || "contact") + ": "));
    const delen = [];
    if (c.email) delen.push(link(c.email, "mailto:" + c.email));
    if (c.telefoon) delen.push(link(c.telefoon, "tel:" + String(c.telefoon).replace(/[^0-9+]/g, "")));
    if (c.website) delen.push(link(c.website, c.website));
    delen.forEach(function (d, i) {
      if (i) li.appendChild(document.createTextNode(", "));
      li.appendChild(d);
    });
    return li;
  }

  function bronnen(path) {
    const details = el("details");
    details.appendChild(el("summary", null, "Hoe we dit weten"));
    const ol = el("ol");
    path.forEach(function (step) {
      const wat = step.node ? step.label || step.node : (step.label || step.rel);
      const bron = step.source ? " — bron: " + step.source + (step.source_date ? " (" + step.source_date + ")" : "") : "";
      ol.appendChild(el("li", null, wat + bron));
    });
    details.appendChild(ol);
    return details;
  }

  function rolKaart(rol) {
    const art = el("article", "rol" + (rol.id ? "" : " onbekend"));
    art.appendChild(el("h4", null, ROLLEN[rol.role] || rol.role));
    if (rol.id) {
      art.appendChild(el("p", "wie", rol.name || rol.id));
    } else {
      art.appendChild(el("p", "wie", "Niet bekend in de kaart."));
    }
    art.appendChild(el("p", "regel", "Regel: " + rol.rule));
    if ((rol.contact || []).length) {
      art.appendChild(el("p", null, "Contact:"));
      art.appendChild(lijstMet(rol.contact.map(contactItem)));
    }
    if (rol.niveau) art.appendChild(el("p", null, "Gevonden op niveau: " + rol.niveau));
    if ((rol.path || []).length) art.appendChild(bronnen(rol.path));
    return art;
  }

  function km(x) {
    return x === null || x === undefined ? null : String(x).replace(".", ",") + " km";
  }

  function aanbiederKaart(p, namen) {
    const art = el("article", "aanbieder");
    art.appendChild(el("h4", null, p.name));
    const door = p.opdrachtgever_naam || namen[p.opdrachtgever] || p.opdrachtgever;
    art.appendChild(el("p", null, "Gecontracteerd door " + door + ", contract " + p.contract + "."));
    const afstand = [];
    if (km(p.distance_home_km)) afstand.push(km(p.distance_home_km) + " van het woonadres");
    if (km(p.distance_school_km)) afstand.push(km(p.distance_school_km) + " van de school");
    if (afstand.length) art.appendChild(el("p", null, "Dichtstbijzijnde locatie: " + afstand.join(", ") + "."));
    const aanbod = (p.offers || []).map(function (o) {
      let tekst = o.naam || o.id;
      if (o.wachttijd_weken !== null && o.wachttijd_weken !== undefined) {
        tekst +=
          " — wachttijd " + String(o.wachttijd_weken).replace(".", ",") + " weken" +
          (o.wachttijd_datum ? " (peildatum " + o.wachttijd_datum + (o.wachttijd_bron ? ", bron: " + o.wachttijd_bron : "") + ")" : "");
      }
      return tekst;
    });
    if (aanbod.length) {
      art.appendChild(el("p", null, "Aanbod:"));
      art.appendChild(lijstMet(aanbod));
    }
    if ((p.path || []).length) art.appendChild(bronnen(p.path));
    return art;
  }

  /** The need's label as the page's list says it, looked up by the id the answer is about
      (not by the list's current choice, which the user may have changed since asking). */
  function behoefteNaam(id) {
    const optie = Array.from(behoefte.options).find(function (o) {
      return o.value && o.value === String(id);
    });
    return optie ? optie.textContent : null;
  }

  function toon(data, school) {
    const rollen = document.getElementById("rollen");
    const aanbieders = document.getElementById("aanbieders");
    const waarschuwingen = document.getElementById("waarschuwingen");
    [rollen, aanbieders, waarschuwingen].forEach(clear);
    const schoolNaam = school && String(school.id) === String(data.school) ? school.naam + " (" + data.school + ")" : "";
    document.getElementById("antwoord-samenvatting").textContent =
      "School: " + (data.school_naam || schoolNaam || data.school) +
      ". Postcode woonadres: " + data.postcode +
      ". Hulpvraag: " + (behoefteNaam(data.need) || data.need_naam || data.need) +
      ". Peildatum: " + data.date +
      (data.enrolled_regular ? ". De leerling staat op een reguliere school." : ". De leerling staat niet op een reguliere school.");
    if ((data.warnings || []).length) {
      const box = el("div", "waarschuwingen");
      box.appendChild(el("h3", null, "Let op"));
      box.appendChild(lijstMet(data.warnings));
      waarschuwingen.appendChild(box);
    }
    const namen = {};
    (data.roles || []).forEach(function (r) {
      if (r.id && r.name) namen[r.id] = r.name;
      rollen.appendChild(rolKaart(r));
    });
    if ((data.providers || []).length) {
      data.providers.forEach(function (p) {
        aanbieders.appendChild(aanbiederKaart(p, namen));
      });
    } else {
      aanbieders.appendChild(el("p", null, "Geen gecontracteerde zorgaanbieders gevonden voor deze hulpvraag."));
    }
    antwoord.hidden = false;
    document.getElementById("antwoord-kop").focus();
  }

  document.getElementById("afdrukken").addEventListener("click", function () {
    window.print();
  });
})();
