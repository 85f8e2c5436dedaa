#!/usr/bin/env node
// A conflictbench extractor written in JavaScript (Node.js >= 18, no dependencies).
//
// Protocol (PREDICTIONS.md, "Programs (--extractor-cmd)"): conflictbench starts this program
// once, writes one JSON line per document to its stdin (the document view: id, text, title,
// source, url, language, publication_date -- never the gold) and reads exactly one JSON line
// back per document, in order, before it sends the next one. Anything on stderr is kept for
// error messages. Run it with:
//
//   conflictbench eval --extractor-cmd "node examples/cmd-node/extract.js" --timeout 10
//
// What it predicts -- a deliberately tiny regex baseline:
//   * casualties: "<qualifier?> N <up to 2 words> people|civilians|fighters|... were|have been
//     killed|injured|wounded" and "killed|injured N people|civilians|...";
//   * dates: a bare weekday name ("on Thursday") -> the most recent such day on or before the
//     publication date (TIMEX3 value YYYY-MM-DD);
//   * actors: none.
//
// OFFSETS: conflictbench counts characters as Python does, in Unicode code points, half-open
// [start, end). JavaScript strings count UTF-16 code units: a character outside the Basic
// Multilingual Plane (an emoji, U+1D400 "𝐀" ...) is ONE code point but TWO code units
// (a surrogate pair). RegExp match indices are code units, so every offset is converted
// with codePointOffsets() below before it is written. (Without the conversion every span
// after such a character would be shifted, and conflictbench would reject the prediction as
// malformed: its "text" would not equal text[start:end].)

"use strict";

const readline = require("node:readline");

// cp[i] = the code-point offset of UTF-16 index i (for 0 <= i <= s.length).
function codePointOffsets(s) {
  const cp = new Array(s.length + 1);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    cp[i] = n;
    const c = s.charCodeAt(i);
    const isHighSurrogate = c >= 0xd800 && c <= 0xdbff;
    const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
    if (isHighSurrogate && next >= 0xdc00 && next <= 0xdfff) {
      cp[i + 1] = n; // the second half of a pair: never a span boundary in practice
      i++;
    }
    n++; // a lone surrogate counts as one code point, as in Python
  }
  cp[s.length] = n;
  return cp;
}

const QUALIFIERS = { "at least": "at_least", "more than": "at_least", "around": "approx",
                     "about": "approx", "nearly": "approx", "up to": "at_most" };
const VICTIMS = { people: "people", persons: "people", civilians: "civilians", children: "civilians",
                  fighters: "fighters", militants: "fighters", rebels: "fighters",
                  soldiers: "security_forces", troops: "security_forces", policemen: "security_forces" };
const KINDS = { killed: "killed", injured: "injured", wounded: "injured" };

const NOUN = "(people|persons|civilians|children|fighters|militants|rebels|soldiers|troops|policemen)";
// "At least 22 anti-government fighters were killed" -> the span is "At least 22 anti-government fighters"
const PASSIVE = new RegExp(
  "\\b(?:(at least|more than|around|about|nearly|up to)\\s+)?(\\d[\\d,]*)\\s+((?:[a-z-]+\\s+){0,2}?)" + NOUN +
  "\\s+(?:have been|had been|were|was|are)\\s+(?:also\\s+)?(killed|injured|wounded)\\b", "gid");
// "an offensive that killed 39 people" -> the span is "39 people"
const ACTIVE = new RegExp("\\b(killed|injured|wounded)\\s+(\\d[\\d,]*)\\s+" + NOUN + "\\b", "gid");

function casualties(text, cp) {
  const out = [];
  // the "d" flag gives m.indices: [start, end) of every group, in UTF-16 code units
  for (const m of text.matchAll(PASSIVE)) {
    const [, qual, count, , noun, kind] = m;
    const qualifier = qual ? QUALIFIERS[qual.toLowerCase()] : "exact";
    out.push(item(text, cp, m.index, m.indices[4][1], count, qualifier, kind, noun)); // span ends at the noun
  }
  for (const m of text.matchAll(ACTIVE)) {
    const [, kind, count, noun] = m;
    out.push(item(text, cp, m.indices[2][0], m.indices[3][1], count, "exact", kind, noun)); // "39 people"
  }
  return out;
}

// start, end: UTF-16 indices into text; written as code-point offsets
function item(text, cp, start, end, count, qualifier, kind, noun) {
  return {
    start: cp[start], end: cp[end], text: text.slice(start, end),
    count: Number(count.replace(/,/g, "")), qualifier,
    kind: KINDS[kind.toLowerCase()], victims: VICTIMS[noun.toLowerCase()],
  };
}

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const WEEKDAY = /\b(Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)\b/g;

function dates(text, cp, publicationDate) {
  if (!publicationDate) return []; // nothing to anchor a weekday on
  const pub = new Date(publicationDate.slice(0, 10) + "T00:00:00Z");
  const out = [];
  for (const m of text.matchAll(WEEKDAY)) {
    const back = (pub.getUTCDay() - WEEKDAYS.indexOf(m[1].toLowerCase()) + 7) % 7;
    const day = new Date(pub.getTime() - back * 86400000);
    out.push({ start: cp[m.index], end: cp[m.index + m[0].length], text: m[0],
               value: day.toISOString().slice(0, 10), type: "DATE" });
  }
  return out;
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on("line", (line) => {
  if (!line.trim()) return;
  const doc = JSON.parse(line);
  const cp = codePointOffsets(doc.text);
  const prediction = {
    id: doc.id,
    casualties: casualties(doc.text, cp),
    actors: [],
    dates: dates(doc.text, cp, doc.publication_date),
  };
  // One line per document. There is no stdio buffer to flush (unlike C or Python): the
  // line goes out as soon as this handler returns. Writes to a pipe are asynchronous on
  // POSIX, so never call process.exit() right after writing; let stdin's end stop us.
  process.stdout.write(JSON.stringify(prediction) + "\n");
});
