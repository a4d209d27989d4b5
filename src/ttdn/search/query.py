"""The query language of the search box, compiled to a PostgreSQL ``tsquery`` over folded text.

The store keeps ``search_text = search_text_of(title, text)`` (see below) and indexes
``to_tsvector('simple', search_text)``; a query is compiled with `parse_query` and run as
``to_tsquery('simple', parsed.tsquery)``. Both sides are folded (`ttdn.text.fold`: lower
case, no diacritics, ``đ`` → ``d``), so ``Hoàng Sa``, ``hoang sa``, ``Hoàng Sa`` typed in
NFD and ``hoà``/``hòa`` all give the same query.

Syntax::

    hoang sa            bare words: all must appear (implicit AND), in any order
    "biển đông"         a phrase: the words in this order, next to each other
    vietnam OR laos     either (also HOẶC, HOAC, |)
    a AND b             both (also VÀ, &); the same as ``a b``
    NOT china, -china   exclude (also KHÔNG, KHONG)
    (a OR b) c          grouping; NOT binds tighter than AND, AND tighter than OR

Decisions:

* **Operators are upper-case words.** ``AND OR NOT`` and the Vietnamese ``VÀ HOẶC KHÔNG``
  (and ``HOAC KHONG`` typed without diacritics) are operators only when written in
  capitals; ``và``, ``or``, ``không`` in lower case are ordinary words, since they are
  common words in the languages the platform reads. ``VA`` is never an operator (an
  abbreviation). When the whole query is in capitals (caps lock, a pasted headline), the
  Vietnamese words count as words — ``KHÔNG QUÂN`` is the air force — while ``AND OR NOT``
  stay operators. ``|`` and ``&`` standing alone are OR and AND; ``-`` directly before a word,
  a phrase or a parenthesis is NOT.
* **Bare syllables are AND, adjacency ranks higher.** Vietnamese separates syllables, not
  words, so ``thông tin đối ngoại`` cannot be told apart from four words. It matches
  documents holding all four syllables (recall: word order varies, a syllable may sit in
  another word); `ParsedQuery.boost_tsquery` holds the same runs of bare words as phrases
  (``'thong' <-> 'tin' <-> 'doi' <-> 'ngoai'``) for ranking, e.g.
  ``ts_rank_cd(v, q) + CASE WHEN v @@ boost THEN 1 ELSE 0 END``. Quote the words to
  require the phrase.
* **Stop words.** A short list for vi/en/fr (``và``, ``của``, ``the``, ``of``, ``le``, ``la`` …,
  compared on the lower-cased word *with* its diacritics, so ``và`` is one and ``vả`` is not)
  is dropped from bare words; inside a phrase they stay. A query of only stop words is
  refused. A dropped stop word leaves a gap in the boost phrase (``hoang <-> sa <2> truong``).
* **Scripts without spaces** (CJK, kana, hangul, Thai, Lao, Khmer) are stored with a space
  around every character (`search_text_of`), so a word in them is a phrase of characters:
  ``越南`` → ``'越' <-> '南'``.
* **Safety.** Every lexeme is single-quoted with ``'`` and ``\\`` escaped; lexemes hold only
  letters, digits, marks and joiners inside a word (``covid-19``, ``l'etat``,
  ``example.com``), which PostgreSQL's parser splits exactly as it split the stored text.
  Query syntax characters inside a word (``:*``, ``&|!<>()``) only separate words. A query
  must keep at least one term that is not excluded (``NOT china`` alone is refused).
* **Limits.** 1,000 characters (a longer query is refused before it is read), 64 terms
  (words, counting every CJK character and each part of ``covid-19``), parentheses nested 16 deep.

Errors are `ttdn.errors.BadInput` with a message for the user, Vietnamese first, then English.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ttdn.errors import BadInput
from ttdn.text.normalize import fold, normalize_text

__all__ = ["MAX_QUERY_CHARS", "MAX_TERMS", "ParsedQuery", "parse_query", "search_text_of"]

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
MAX_DEPTH = 16

# Scripts written without spaces between words: every character becomes its own lexeme.
SPACED = (
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1780-\u17ff\u19e0-\u19ff"  # Khmer
    "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff"  # Hangul
    "\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # kana, 々〆〇
    "\u3100-\u312f\u31a0-\u31bf"  # Bopomofo
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"  # ideographs
)


def _mark_class() -> str:
    """A regex class body holding every combining mark (Mn, Mc, Me) of the BMP."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x10000):
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)


MARKS = _mark_class()
# One character of a spaced script with its combining marks (Thai vowel signs, tone marks).
SPACED_UNIT = re.compile(f"[{SPACED}][{MARKS}]*")
_HAS_SPACED = re.compile(f"[{SPACED}]")
# A word: letters/digits/marks, with joiners inside (covid-19, l'etat, example.com).
_LETTER = f"(?:[^\\W_]|[{MARKS}])"
WORD = re.compile(f"{_LETTER}+(?:[-.'’@/_+:]{_LETTER}+)*")
_PARTS = re.compile(f"{_LETTER}+")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(" {2,}")

_QUOTES = '"“”„'
_STOP_CHARS = _QUOTES + "()"
_OPERATORS = {
    "AND": "and", "&": "and", "&&": "and", "OR": "or", "|": "or", "||": "or", "NOT": "not",
}  # fmt: skip
_VI_OPERATORS = {"VÀ": "and", "HOẶC": "or", "HOAC": "or", "KHÔNG": "not", "KHONG": "not"}
_OP_WORDS = {"and": "AND", "or": "OR", "not": "NOT"}

_STOP_VI = "và của là các những được với này có một đã để thì mà từ về nhưng rằng va cua cac duoc"
_STOP_EN = "the of a an and or in on at to for is are was were be by with from as that this"
_STOP_FR = "le la les l de des du d un une et à au aux en est pour par sur dans que qui"
# Vietnamese with diacritics (the few unambiguous ones also without), English, French
STOP_WORDS = frozenset(f"{_STOP_VI} {_STOP_EN} {_STOP_FR}".split())

_MSG_EMPTY = "Chưa nhập từ khóa tìm kiếm / the query is empty"
_MSG_PUNCT = "Truy vấn chỉ có dấu câu, không có từ nào / the query has only punctuation, no words"
_MSG_STOP = (
    "Truy vấn chỉ gồm các từ quá phổ biến (như “và”, “của”, “the”) — hãy thêm từ khóa "
    "/ the query has only stop words (such as “and”, “of”, “the”): add a keyword"
)
_MSG_QUOTE = 'Thiếu dấu ngoặc kép đóng / unbalanced quote: a phrase is opened with " but never closed'
_MSG_OPEN = "Thiếu dấu ngoặc đóng “)” / unbalanced parentheses: a “(” is never closed"
_MSG_CLOSE = "Thừa dấu ngoặc đóng “)” / unbalanced parentheses: a “)” has no matching “(”"
_MSG_EMPTY_PARENS = "Cặp ngoặc “()” không chứa gì / empty parentheses"
_MSG_NEGATIVE = (
    "Truy vấn cần ít nhất một từ khóa không bị loại trừ / the query needs at least one term that is not excluded"
)


def space_scripts(folded: str) -> str:
    """Put a space around every character of a script written without spaces."""
    if _HAS_SPACED.search(folded) is None:
        return folded

    def spaced(match: re.Match[str]) -> str:
        a, b = match.span()
        before = " " if a > 0 and not folded[a - 1].isspace() else ""
        after = " " if b < len(folded) and not folded[b].isspace() else ""
        return before + match.group() + after

    return _SPACES.sub(" ", SPACED_UNIT.sub(spaced, folded))


_ANGLE_BRACKETS = str.maketrans("<>", "  ")


def search_text_of(title: str, text: str) -> str:
    """The stored ``search_text`` of an article: folded title and text, CJK & co. spaced out."""
    joined = f"{title}\n{text}" if title else text
    # PostgreSQL's parser reads "<…>" as an XML tag and indexes nothing inside it: words that
    # merely look like markup ("<script>alert(1)</script>") must stay searchable
    return space_scripts(fold(joined.translate(_ANGLE_BRACKETS))).strip()


def lexemes_of(chunk: str) -> list[str]:
    """The folded lexemes of a piece of query text, in order (CJK: one per character)."""
    return WORD.findall(space_scripts(fold(chunk)))


def quote_lexeme(lexeme: str) -> str:
    """A lexeme as a tsquery operand: single-quoted, with ``\\`` and ``'`` escaped."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _is_spaced(lexeme: str) -> bool:
    return SPACED_UNIT.fullmatch(lexeme) is not None


def _display(lexemes: list[str] | tuple[str, ...]) -> str:
    """Lexemes joined for highlighting: spaces between words, none between CJK characters."""
    out = ""
    for i, lex in enumerate(lexemes):
        if i and not (_is_spaced(lex) and _is_spaced(lexemes[i - 1])):
            out += " "
        out += lex
    return out


# ---- syntax tree ----------------------------------------------------------------------


@dataclass(slots=True)
class _Atom:
    lexemes: tuple[str, ...]
    original: str
    phrase: bool
    stop: bool = False


@dataclass(slots=True)
class _Not:
    child: _Node


@dataclass(slots=True)
class _Group:
    op: str  # "and" | "or"
    children: list[_Node]


_Node = _Atom | _Not | _Group


@dataclass(slots=True)
class _Token:
    kind: str  # word | phrase | ( | ) | and | or | not
    text: str = ""


def _is_stop(chunk: str) -> bool:
    word = normalize_text(chunk).lower().strip("-.'’@/_+:,;!?…")
    return word in STOP_WORDS


def _tokenize(s: str) -> list[_Token]:
    caps_lock = not any(ch.islower() for ch in s)
    tokens: list[_Token] = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch.isspace():
            i += 1
        elif ch in _QUOTES:
            end = next((j for j in range(i + 1, n) if s[j] in _QUOTES), -1)
            if end < 0:
                raise BadInput(_MSG_QUOTE)
            tokens.append(_Token("phrase", s[i + 1 : end]))
            i = end + 1
        elif ch in "()":
            tokens.append(_Token(ch))
            i += 1
        else:
            j = i
            while j < n and not s[j].isspace() and s[j] not in _STOP_CHARS:
                j += 1
            chunk, i = s[i:j], j
            op = _OPERATORS.get(chunk) or (None if caps_lock else _VI_OPERATORS.get(chunk))
            if op:
                tokens.append(_Token(op, chunk))
            elif chunk.startswith("-"):
                rest = chunk.lstrip("-")
                if rest:
                    tokens += [_Token("not", "-"), _Token("word", rest)]
                elif i < n and s[i] in _STOP_CHARS and s[i] != ")":
                    tokens.append(_Token("not", "-"))
            else:
                tokens.append(_Token("word", chunk))
    # words and phrases without a single letter or digit are punctuation: leave them out
    return [t for t in tokens if t.kind not in ("word", "phrase") or lexemes_of(t.text)]


class _Parser:
    """Recursive descent: or := and (OR and)* ; and := unary (AND? unary)* ; unary := NOT unary | atom."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.negated = 0
        self.runs: list[list[_Atom]] = []  # adjacent bare words, for the proximity boost
        self.lexeme_count = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos].kind if self.pos < len(self.tokens) else None

    def parse(self) -> _Node:
        node = self.parse_or()
        if self.pos < len(self.tokens):  # only a stray ")" stops the parse early
            raise BadInput(_MSG_CLOSE)
        return node

    def _missing_operand(self, op_token: _Token) -> BadInput:
        name = _OP_WORDS.get(op_token.kind, op_token.text)
        shown = op_token.text if op_token.text not in ("", name) else name
        return BadInput(
            f"Toán tử {shown} thiếu từ khóa đi kèm / the operator {shown} has nothing to apply to"
            if shown != "-"
            else "Dấu “-” cần một từ khóa ngay sau / “-” must be followed by a term"
        )

    def _expect_operand(self, op_token: _Token) -> None:
        if self.peek() in (None, ")", "and", "or"):
            raise self._missing_operand(op_token)

    def parse_or(self) -> _Node:
        children = [self.parse_and()]
        while self.peek() == "or":
            op = self.tokens[self.pos]
            self.pos += 1
            self._expect_operand(op)
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else _Group("or", children)

    def parse_and(self) -> _Node:
        children: list[_Node] = []
        run: list[_Atom] = []
        while True:
            kind = self.peek()
            implicit = True
            if kind == "and":
                op = self.tokens[self.pos]
                if not children:
                    raise self._missing_operand(op)
                self.pos += 1
                self._expect_operand(op)
                implicit = False
            elif kind in ("or", ")", None):
                if not children:
                    if kind == "or":
                        raise self._missing_operand(self.tokens[self.pos])
                    raise BadInput(_MSG_CLOSE if kind == ")" else _MSG_EMPTY)
                break
            node = self.parse_unary()
            children.append(node)
            bare = node if isinstance(node, _Atom) and not node.phrase and len(node.lexemes) == 1 else None
            if bare is not None and implicit and not self.negated:
                run.append(bare)
            else:
                self._close_run(run)
                run = [bare] if bare is not None and not self.negated else []
        self._close_run(run)
        return children[0] if len(children) == 1 else _Group("and", children)

    def _close_run(self, run: list[_Atom]) -> None:
        if sum(not atom.stop for atom in run) >= 2:
            self.runs.append(list(run))

    def parse_unary(self) -> _Node:
        if self.peek() == "not":
            op = self.tokens[self.pos]
            self.pos += 1
            self._expect_operand(op)
            self.negated += 1
            child = self.parse_unary()
            self.negated -= 1
            return _Not(child)
        return self.parse_atom()

    def parse_atom(self) -> _Node:
        token = self.tokens[self.pos]
        self.pos += 1
        if token.kind == "(":
            if self.peek() == ")":
                raise BadInput(_MSG_EMPTY_PARENS)
            if self.peek() is None:
                raise BadInput(_MSG_OPEN)
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise BadInput(
                    f"Quá nhiều ngoặc lồng nhau (tối đa {MAX_DEPTH}) "
                    f"/ parentheses nested too deep (at most {MAX_DEPTH})"
                )
            node = self.parse_or()
            if self.peek() != ")":
                raise BadInput(_MSG_OPEN)
            self.pos += 1
            self.depth -= 1
            return node
        lexemes = tuple(lexemes_of(token.text))
        self.lexeme_count += sum(len(_PARTS.findall(lex)) for lex in lexemes)  # covid-19: 2 terms
        if self.lexeme_count > MAX_TERMS:
            raise BadInput(f"Quá nhiều từ khóa (tối đa {MAX_TERMS}) / too many terms (at most {MAX_TERMS})")
        phrase = token.kind == "phrase"
        stop = not phrase and len(lexemes) == 1 and _is_stop(token.text)
        return _Atom(lexemes, normalize_text(token.text).strip(), phrase, stop)


def _drop_stop_words(node: _Node) -> _Node | None:
    if isinstance(node, _Atom):
        return None if node.stop else node
    if isinstance(node, _Not):
        child = _drop_stop_words(node.child)
        if child is None:
            return None
        return child.child if isinstance(child, _Not) else _Not(child)
    kept: list[_Node] = []
    for child in node.children:
        simple = _drop_stop_words(child)
        if isinstance(simple, _Group) and simple.op == node.op:
            kept += simple.children  # (a & b) & c → a & b & c
        elif simple is not None:
            kept.append(simple)
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else _Group(node.op, kept)


def _positive(node: _Node) -> bool:
    """True when the node requires some term to be present (it does not only exclude)."""
    if isinstance(node, _Atom):
        return True
    if isinstance(node, _Not):
        return False
    if node.op == "and":
        return any(_positive(child) for child in node.children)
    return all(_positive(child) for child in node.children)


def _render(node: _Node, top: bool = True) -> str:
    if isinstance(node, _Atom):
        quoted = " <-> ".join(quote_lexeme(lex) for lex in node.lexemes)
        return quoted if len(node.lexemes) == 1 else f"({quoted})"
    if isinstance(node, _Not):
        return "!" + _render(node.child, top=False)
    inner = (" & " if node.op == "and" else " | ").join(_render(child, top=False) for child in node.children)
    return inner if top else f"({inner})"


def _walk_all(node: _Node, out: list[tuple[_Atom, bool]], negated: bool = False) -> list[tuple[_Atom, bool]]:
    """Every atom with whether it is excluded, in query order."""
    if isinstance(node, _Atom):
        out.append((node, negated))
    elif isinstance(node, _Not):
        _walk_all(node.child, out, not negated)
    else:
        for child in node.children:
            _walk_all(child, out, negated)
    return out


def _boost(runs: list[list[_Atom]]) -> str | None:
    phrases: list[str] = []
    for run in runs:
        parts: list[str] = []
        gap = 1
        for atom in run:
            if atom.stop:
                gap += 1 if parts else 0
                continue
            if parts:
                parts.append(" <-> " if gap == 1 else f" <{gap}> ")
            parts.append(quote_lexeme(atom.lexemes[0]))
            gap = 1
        phrases.append("".join(parts))
    if not phrases:
        return None
    return phrases[0] if len(phrases) == 1 else " | ".join(f"({p})" for p in phrases)


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A compiled search-box query.

    ``tsquery`` goes to ``to_tsquery('simple', …)``; ``boost_tsquery`` (or None) ranks
    documents where adjacent bare words stand together; ``terms`` are the folded terms and
    phrases to highlight (`ttdn.search.highlight`); ``text_for_embedding`` is what the user
    asked for without operators or excluded terms, for the vector half of hybrid search.
    """

    raw: str
    tsquery: str = ""
    terms: tuple[str, ...] = ()
    text_for_embedding: str = ""
    boost_tsquery: str | None = None
    excluded: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.tsquery

    @property
    def words_tsquery(self) -> str | None:
        """The query with each phrase loosened to its words (``a <-> b`` → ``a & b``), or None.

        None when the query has no phrase (nothing to loosen) or has a NOT (``!(a <-> b)``
        loosened would exclude more than it should). Otherwise every match of `tsquery` matches
        it, and the GIN index answers it exactly, without reading positions.
        """
        return words_of_phrases(self.tsquery)


_TSQUERY_PARTS = re.compile(r"'(?:[^'\\]|\\.|'')*'|<(?:-|\d+)>|!")


def words_of_phrases(tsquery: str) -> str | None:
    """``tsquery`` with its phrase operators made ANDs; None without phrases or with a NOT."""
    phrase = False
    for part in _TSQUERY_PARTS.findall(tsquery):
        if part == "!":
            return None
        phrase = phrase or part.startswith("<")
    if not phrase:
        return None
    return _TSQUERY_PARTS.sub(lambda m: " & " if m.group().startswith("<") else m.group(), tsquery)


def parse_query(raw: str, *, allow_empty: bool = False) -> ParsedQuery:
    """Parse and compile a search-box query; raises `BadInput` with a user-facing message.

    With ``allow_empty`` an empty or blank query gives an empty `ParsedQuery`
    (``is_empty``: list without searching) instead of an error.
    """
    if len(raw) > MAX_QUERY_CHARS:
        raise BadInput(
            f"Truy vấn quá dài (tối đa {MAX_QUERY_CHARS} ký tự) / the query is too long "
            f"(at most {MAX_QUERY_CHARS} characters)"
        )
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", raw))
    if not text.strip():
        if allow_empty:
            return ParsedQuery(raw)
        raise BadInput(_MSG_EMPTY)
    tokens = _tokenize(text)
    if not tokens:
        raise BadInput(_MSG_PUNCT)
    parser = _Parser(tokens)
    tree = parser.parse()
    kept = _drop_stop_words(tree)
    if kept is None:
        raise BadInput(_MSG_STOP)
    if not _positive(kept):
        raise BadInput(_MSG_NEGATIVE)
    atoms, everything = _walk_all(kept, []), _walk_all(tree, [])
    return ParsedQuery(
        raw=raw,
        tsquery=_render(kept),
        terms=tuple(dict.fromkeys(_display(a.lexemes) for a, negated in atoms if not negated)),
        text_for_embedding=" ".join(a.original for a, negated in everything if not negated),
        boost_tsquery=_boost(parser.runs),
        excluded=tuple(dict.fromkeys(_display(a.lexemes) for a, negated in atoms if negated)),
    )
