"""Tokenizer and recursive-descent parser for MaBoSS and ``.bnet`` expressions.

The grammar is MaBoSS's (``BooleanGrammar.y``), loosest binding first::

    expression  := xor ( '?' expression ':' expression )?
    xor         := or ( ('^' | XOR) or )*
    or          := and ( ('|' | '||' | OR) and )*
    and         := equality ( ('&' | '&&' | AND) equality )*
    equality    := relational ( ('==' | '!=') relational )*
    relational  := additive ( ('<' | '>' | '<=' | '>=') additive )*
    additive    := multiplicative ( ('+' | '-') multiplicative )*
    multiplicative := unary ( ('*' | '/') unary )*
    unary       := ('!' | NOT | '-' | '+') unary | primary
    primary     := NAME | '$' NAME | '@' NAME | NUMBER | '(' expression ')'

``AND``/``OR``/``XOR``/``NOT`` are case-insensitive keywords in the MaBoSS dialect. In the
``bnet`` dialect names may start with a digit, ``true``/``false`` are constants and there are
no keywords. Numbers ``0``/``1`` read in a *logic* context become :class:`Const`; elsewhere they
are :class:`Num`.

>>> str(parse_expression("A & !(B | C)", logic=True))
'A & !(B | C)'
>>> str(parse_expression("@logic ? $u_A : 0", logic=False))
'@logic ? $u_A : 0'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from herscape.errors import ModelError
from herscape.network._model import (
    And,
    Arith,
    Compare,
    Cond,
    Const,
    EvalContext,
    Expr,
    Neg,
    Not,
    Num,
    Or,
    Param,
    SelfLogic,
    Var,
    Xor,
)

__all__ = ["Alias", "Dialect", "Token", "TokenStream", "parse_expression", "tokenize"]

Dialect = Literal["maboss", "bnet"]

_KEYWORDS = {"AND": "&", "OR": "|", "XOR": "^", "NOT": "!"}

# Order matters: longer operators first.
_PUNCT = (
    "&&", "||", "==", "!=", "<=", ">=",
    "&", "|", "!", "^", "<", ">", "+", "-", "*", "/", "?", ":", "(", ")",
    "@", ";", "=", "{", "}", "[", "]", ",", ".",
)  # fmt: skip
_OP_ALIASES = {"&&": "&", "||": "|"}

_NUMBER = re.compile(r"(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?")
_NAME_MABOSS = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_NAME_BNET = re.compile(r"[A-Za-z0-9_]+")
_PARAM = re.compile(r"\$[A-Za-z_][A-Za-z_0-9]*")
_SPACE = re.compile(r"[ \t\f\v\r]+")


@dataclass(frozen=True, slots=True)
class Token:
    """One token.

    ``kind`` is ``"name"``, ``"param"`` (text without ``$``), ``"number"``, ``"string"``,
    ``"op"`` (text is the canonical operator), or ``"eof"``. ``line``/``column`` are 1-based.
    """

    kind: str
    text: str
    line: int
    column: int

    def describe(self) -> str:
        """How the token is named in error messages."""
        if self.kind == "eof":
            return "end of input"
        if self.kind == "string":
            return f"string {self.text!r}"
        return f"{self.kind} {self.text!r}" if self.kind != "op" else repr(self.text)


def _skip_block_comment(
    text: str, i: int, line: int, col: int, source: str | None
) -> tuple[int, int, int]:
    end = text.find("*/", i + 2)
    if end < 0:
        msg = "unterminated /* comment"
        raise ModelError(msg, source=source, line=line, column=col)
    chunk = text[i : end + 2]
    newlines = chunk.count("\n")
    if newlines:
        return end + 2, line + newlines, len(chunk) - chunk.rfind("\n")
    return end + 2, line, col + len(chunk)


def _read_string(text: str, i: int, line: int, col: int, source: str | None) -> tuple[str, int]:
    """Read a double-quoted string starting at ``text[i] == '"'``; return (value, end index)."""
    out: list[str] = []
    j = i + 1
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    while j < len(text):
        c = text[j]
        if c == "\\" and j + 1 < len(text):
            out.append(escapes.get(text[j + 1], "\\" + text[j + 1]))
            j += 2
            continue
        if c == '"':
            return "".join(out), j + 1
        out.append(c)
        j += 1
    msg = "unterminated string"
    raise ModelError(msg, source=source, line=line, column=col)


def tokenize(  # noqa: PLR0912, PLR0915 - one flat scanner loop reads best
    text: str,
    *,
    source: str | None = None,
    dialect: Dialect = "maboss",
    line: int = 1,
    column: int = 1,
) -> list[Token]:
    """Split ``text`` into tokens, skipping blanks and comments.

    Parameters
    ----------
    text
        The text to scan.
    source
        File name for error messages.
    dialect
        ``"maboss"`` (``//``, ``/* */`` and line-initial ``#`` comments; keywords) or
        ``"bnet"`` (``#`` comments; names may start with a digit).
    line, column
        Position of ``text[0]`` in the file.

    Returns
    -------
    list[Token]
        The tokens, ending with an ``eof`` token.

    Raises
    ------
    ModelError
        On a character that starts no token.
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    at_line_start = column == 1
    name_re = _NAME_MABOSS if dialect == "maboss" else _NAME_BNET
    while i < n:
        c = text[i]
        if c == "\n":
            i, line, column, at_line_start = i + 1, line + 1, 1, True
            continue
        m = _SPACE.match(text, i)
        if m:
            column += m.end() - i
            i = m.end()
            continue
        if c == "#" and (dialect == "bnet" or at_line_start):
            end = text.find("\n", i)
            end = n if end < 0 else end
            column += end - i
            i = end
            continue
        at_line_start = False
        if text.startswith("//", i) and dialect == "maboss":
            end = text.find("\n", i)
            end = n if end < 0 else end
            column += end - i
            i = end
            continue
        if text.startswith("/*", i) and dialect == "maboss":
            i, line, column = _skip_block_comment(text, i, line, column, source)
            continue
        if c == '"':
            value, end = _read_string(text, i, line, column, source)
            tokens.append(Token("string", value, line, column))
            chunk = text[i:end]
            if "\n" in chunk:
                line += chunk.count("\n")
                column = len(chunk) - chunk.rfind("\n")
            else:
                column += end - i
            i = end
            continue
        m = _NUMBER.match(text, i)
        name_here = _NAME_BNET.match(text, i) if dialect == "bnet" else None
        if m and not (name_here is not None and name_here.end() > m.end()):
            tokens.append(Token("number", m.group(), line, column))
            column += m.end() - i
            i = m.end()
            continue
        m = name_re.match(text, i)
        if m:
            word = m.group()
            if dialect == "maboss" and word.upper() in _KEYWORDS:
                tokens.append(Token("op", _KEYWORDS[word.upper()], line, column))
            else:
                tokens.append(Token("name", word, line, column))
            column += m.end() - i
            i = m.end()
            continue
        m = _PARAM.match(text, i)
        if m:
            tokens.append(Token("param", m.group()[1:], line, column))
            column += m.end() - i
            i = m.end()
            continue
        for p in _PUNCT:
            if text.startswith(p, i):
                tokens.append(Token("op", _OP_ALIASES.get(p, p), line, column))
                column += len(p)
                i += len(p)
                break
        else:
            msg = f"unexpected character {c!r}"
            raise ModelError(msg, source=source, line=line, column=column, value=c)
    tokens.append(Token("eof", "", line, column))
    return tokens


@dataclass(frozen=True, slots=True)
class Alias(Expr):
    """``@name`` for an attribute other than ``logic``: the value of the owning node's attribute.

    Only the MaBoSS reader meets these; it replaces each by the attribute's expression (see
    ``_maboss``), so no :class:`~herscape.network.Model` ever holds one.
    """

    name: str
    line: int = 0
    column: int = 0

    def format(self) -> str:
        return "@" + self.name

    def evaluate(self, ctx: EvalContext) -> float:
        msg = f"@{self.name} is only meaningful inside a MaBoSS node block"
        raise ModelError(msg, line=self.line or None, column=self.column or None)


#: Deepest nesting of parentheses, negations and conditionals in one expression. Real models
#: nest a few levels; each level costs the recursive parser about 17 Python frames.
MAX_NESTING = 32


class TokenStream:
    """A cursor over tokens with the expression grammar as methods.

    Parameters
    ----------
    tokens
        Output of :func:`tokenize` (must end with ``eof``).
    source
        File name for error messages.
    dialect
        ``"maboss"`` or ``"bnet"``.
    """

    def __init__(
        self, tokens: list[Token], *, source: str | None = None, dialect: Dialect = "maboss"
    ) -> None:
        self.tokens = tokens
        self.pos = 0
        self.source = source
        self.dialect = dialect
        self.depth = 0

    def _enter(self, tok: Token) -> None:
        """One level deeper (parenthesis, negation, conditional); the parser recurses, so the
        depth is bounded with an error instead of Python's RecursionError."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            msg = f"expression nested more than {MAX_NESTING} levels deep"
            raise ModelError(msg, source=self.source, line=tok.line, column=tok.column)

    # -- cursor -------------------------------------------------------------------------------
    @property
    def current(self) -> Token:
        """The next unread token."""
        return self.tokens[self.pos]

    def peek(self, offset: int = 1) -> Token:
        """The token ``offset`` places after :attr:`current` (``eof`` past the end)."""
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def advance(self) -> Token:
        """Consume and return the current token."""
        tok = self.tokens[self.pos]
        if tok.kind != "eof":
            self.pos += 1
        return tok

    def at_op(self, *ops: str) -> bool:
        """Whether the current token is one of the operators ``ops``."""
        tok = self.current
        return tok.kind == "op" and tok.text in ops

    def error(self, expected: str, tok: Token | None = None) -> ModelError:
        """A ``ModelError`` saying what was expected at ``tok`` (default: current)."""
        tok = tok or self.current
        msg = f"expected {expected}, found {tok.describe()}"
        return ModelError(msg, source=self.source, line=tok.line, column=tok.column, value=tok.text)

    def expect_op(self, op: str) -> Token:
        """Consume operator ``op`` or raise."""
        if not self.at_op(op):
            raise self.error(repr(op))
        return self.advance()

    def expect_kind(self, kind: str, what: str) -> Token:
        """Consume a token of ``kind`` or raise naming ``what``."""
        if self.current.kind != kind:
            raise self.error(what)
        return self.advance()

    # -- grammar ------------------------------------------------------------------------------
    def expression(self, *, logic: bool) -> Expr:
        """Parse a full expression (conditional level)."""
        test = self._xor(logic)
        if not self.at_op("?"):
            return test
        self._enter(self.advance())
        then = self.expression(logic=logic)
        self.expect_op(":")
        else_ = self.expression(logic=logic)
        self.depth -= 1
        return Cond(test, then, else_)

    def _nary(
        self, ops: tuple[str, ...], cls: type, sub: Callable[[bool], Expr], logic: bool
    ) -> Expr:
        items = [sub(logic)]
        while self.at_op(*ops):
            self.advance()
            items.append(sub(logic))
        if len(items) == 1:
            return items[0]
        flat: list[Expr] = []
        for item in items:
            flat.extend(item.operands if type(item) is cls else (item,))  # type: ignore[attr-defined]
        return cls(tuple(flat))

    def _xor(self, logic: bool) -> Expr:
        return self._nary(("^",), Xor, self._or, logic)

    def _or(self, logic: bool) -> Expr:
        return self._nary(("|",), Or, self._and, logic)

    def _and(self, logic: bool) -> Expr:
        return self._nary(("&",), And, self._equality, logic)

    def _binary(
        self,
        ops: tuple[str, ...],
        build: Callable[[str, Expr, Expr], Expr],
        sub: Callable[[bool], Expr],
        logic: bool,
    ) -> Expr:
        left = sub(logic)
        while self.at_op(*ops):
            op = self.advance().text
            left = build(op, left, sub(logic))
        return left

    def _equality(self, logic: bool) -> Expr:
        return self._binary(("==", "!="), Compare, self._relational, logic)

    def _relational(self, logic: bool) -> Expr:
        return self._binary(("<", ">", "<=", ">="), Compare, self._additive, logic)

    def _additive(self, logic: bool) -> Expr:
        return self._binary(("+", "-"), Arith, self._multiplicative, logic)

    def _multiplicative(self, logic: bool) -> Expr:
        return self._binary(("*", "/"), Arith, self._unary, logic)

    def _unary(self, logic: bool) -> Expr:
        if self.at_op("!"):
            self._enter(self.advance())
            out: Expr = Not(self._unary(logic))
        elif self.at_op("-"):
            self._enter(self.advance())
            operand = self._unary(logic)
            out = Num(-operand.value) if isinstance(operand, Num) else Neg(operand)
        elif self.at_op("+"):
            self._enter(self.advance())
            out = self._unary(logic)
        else:
            return self._primary(logic)
        self.depth -= 1
        return out

    def _primary(self, logic: bool) -> Expr:
        tok = self.current
        if tok.kind == "name":
            self.advance()
            if self.at_op("("):
                msg = f"function calls are not supported ({tok.text}(...))"
                raise ModelError(
                    msg, source=self.source, line=tok.line, column=tok.column, value=tok.text
                )
            if self.dialect == "bnet" and tok.text.lower() in ("true", "false"):
                return Const(tok.text.lower() == "true")
            return Var(tok.text)
        if tok.kind == "param":
            self.advance()
            return Param(tok.text)
        if tok.kind == "number":
            self.advance()
            value = float(tok.text)
            if logic and tok.text in ("0", "1"):
                return Const(tok.text == "1")
            return Num(value)
        if self.at_op("@"):
            self.advance()
            name = self.expect_kind("name", "an attribute name after '@'")
            if name.text == "logic":
                return SelfLogic()
            return Alias(name.text, name.line, name.column)
        if self.at_op("("):
            self._enter(self.advance())
            inner = self.expression(logic=logic)
            self.expect_op(")")
            self.depth -= 1
            return inner
        raise self.error("a node name, $parameter, number, '@logic', '!' or '('")


def parse_expression(
    text: str,
    *,
    logic: bool,
    source: str | None = None,
    dialect: Dialect = "maboss",
    line: int = 1,
    column: int = 1,
) -> Expr:
    """Parse one complete expression.

    Parameters
    ----------
    text
        The expression text.
    logic
        Read ``0``/``1`` as logical constants (a node's logic) rather than numbers (rates).
    source, line, column
        Where ``text`` starts, for error messages.
    dialect
        ``"maboss"`` or ``"bnet"``.

    Raises
    ------
    ModelError
        With the file, line, column and what was expected.
    """
    stream = TokenStream(
        tokenize(text, source=source, dialect=dialect, line=line, column=column),
        source=source,
        dialect=dialect,
    )
    expr = stream.expression(logic=logic)
    if stream.current.kind != "eof":
        raise stream.error("an operator or end of expression")
    return expr
