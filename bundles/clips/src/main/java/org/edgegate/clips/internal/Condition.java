package org.edgegate.clips.internal;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import org.edgegate.api.state.StateKeys;

/**
 * A rule's {@code when}: a condition on state keys, parsed by our own recursive-descent parser into a tree
 * that can only compare values (no script engine, no reflection, nothing that runs code). Grammar:
 *
 * <pre>
 * condition  := or
 * or         := and ("or" and)*
 * and        := unary ("and" unary)*
 * unary      := "not" unary | "(" or ")" | comparison
 * comparison := operand [("&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "==" | "!=") operand]
 * operand    := key | number | "text" | 'text' | true | false
 * </pre>
 *
 * A key is a state key starting with a letter ({@code sensor/gas/smoke}); a bare key is true when its value is
 * {@code true} or a non-zero number. Ordering compares numbers; {@code ==} and {@code !=} also compare texts and
 * booleans. A comparison whose key is absent, or whose values are of different types, is false. Bounded: at most
 * {@value #MAX_LENGTH} characters, {@value #MAX_DEPTH} levels of nesting and {@value #MAX_TERMS} comparisons.
 */
final class Condition {
    static final int MAX_LENGTH = 1000;
    static final int MAX_DEPTH = 32;
    static final int MAX_TERMS = 64;
    private static final int MAX_NUMBER_LENGTH = 40;

    /** A condition that does not parse; {@link #position()} is 1-based, in characters. */
    static final class ParseException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int position;

        ParseException(int position, String message) {
            super("when: at position " + position + ": " + message);
            this.position = position;
        }

        int position() {
            return position;
        }
    }

    private final String text;
    private final Terms.Node root;
    private final Set<String> keys;

    private Condition(String text, Terms.Node root, Set<String> keys) {
        this.text = text;
        this.root = root;
        this.keys = Collections.unmodifiableSet(keys);
    }

    static Condition parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ParseException(1, "empty: give a condition such as sensor/gas/smoke >= 400");
        }
        if (text.length() > MAX_LENGTH) {
            throw new ParseException(MAX_LENGTH + 1, "longer than " + MAX_LENGTH + " characters");
        }
        Parser p = new Parser(text);
        Terms.Node root = p.or(0);
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("expected 'and', 'or' or the end, found " + p.found());
        }
        return new Condition(text, root, p.keys);
    }

    String text() {
        return text;
    }

    /** The state keys the condition reads, in order of appearance. */
    Set<String> keys() {
        return keys;
    }

    /** Evaluates against the current values ({@code values.apply(key)}: null when absent). */
    boolean test(Function<String, Object> values) {
        return root.test(values);
    }

    @Override
    public String toString() {
        return text;
    }

    /** Same text, same condition: a configuration update that leaves it as it was changes nothing. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Condition c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    private static final class Parser {
        private final String s;
        private int pos;
        private int terms;
        private final Set<String> keys = new LinkedHashSet<>();

        Parser(String s) {
            this.s = s;
        }

        Terms.Node or(int depth) {
            Terms.Node left = and(depth);
            while (word("or")) {
                left = new Terms.Or(left, and(depth));
            }
            return left;
        }

        Terms.Node and(int depth) {
            Terms.Node left = unary(depth);
            while (word("and")) {
                left = new Terms.And(left, unary(depth));
            }
            return left;
        }

        Terms.Node unary(int depth) {
            if (depth >= MAX_DEPTH) {
                skipSpace();
                throw error("nested deeper than " + MAX_DEPTH + " levels");
            }
            if (word("not")) {
                return new Terms.Not(unary(depth + 1));
            }
            skipSpace();
            if (peek('(')) {
                pos++;
                Terms.Node inner = or(depth + 1);
                skipSpace();
                if (!peek(')')) {
                    throw error("expected ')' or 'and'/'or', found " + found());
                }
                pos++;
                return inner;
            }
            return comparison();
        }

        Terms.Node comparison() {
            skipSpace();
            int start = pos;
            Terms.Operand left = operand();
            if (++terms > MAX_TERMS) {
                throw new ParseException(start + 1, "more than " + MAX_TERMS + " comparisons");
            }
            skipSpace();
            int opAt = pos;
            Terms.Op op = op();
            if (op == null) {
                if (left.key() == null) {
                    throw error("expected a comparison (<, <=, >, >=, ==, !=) after the value, found " + found());
                }
                return new Terms.Truthy(left);
            }
            skipSpace();
            Terms.Operand right = operand();
            if (left.key() == null && right.key() == null) {
                throw new ParseException(start + 1, "compares two constants: one side must be a state key");
            }
            if (op.ordering() && (isTextOrBoolean(left) || isTextOrBoolean(right))) {
                throw new ParseException(opAt + 1, "'" + op.symbol + "' compares numbers; texts and booleans take == or !=");
            }
            return new Terms.Compare(left, op, right);
        }

        private static boolean isTextOrBoolean(Terms.Operand o) {
            return o.literal() instanceof String || o.literal() instanceof Boolean;
        }

        Terms.Operand operand() {
            if (pos >= s.length()) {
                throw error("expected a state key, a number or a quoted text, found the end");
            }
            char c = s.charAt(pos);
            if (c == '"' || c == '\'') {
                return new Terms.Operand(null, text(c));
            }
            if (c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9') {
                return new Terms.Operand(null, number());
            }
            if (Character.isLetter(c) && c < 128) {
                int start = pos;
                while (pos < s.length() && keyChar(s.charAt(pos))) {
                    pos++;
                }
                String word = s.substring(start, pos);
                switch (word.toLowerCase(Locale.ROOT)) {
                    case "true":
                        return new Terms.Operand(null, Boolean.TRUE);
                    case "false":
                        return new Terms.Operand(null, Boolean.FALSE);
                    case "and", "or", "not":
                        throw new ParseException(start + 1, "expected a state key or a value, found '" + word + "'");
                    default:
                        break;
                }
                String problem = StateKeys.problem(word);
                if (problem != null) {
                    throw new ParseException(start + 1, "state key '" + StateKeys.quote(word) + "' " + problem);
                }
                keys.add(word);
                return new Terms.Operand(word, null);
            }
            throw error("expected a state key, a number or a quoted text, found " + found());
        }

        /** Key characters: what state keys hold in practice, never an operator, a quote or a parenthesis. */
        private static boolean keyChar(char c) {
            return c < 128 && (Character.isLetterOrDigit(c) || c == '/' || c == '_' || c == '.' || c == '-' || c == ':'
                    || c == '@');
        }

        private Double number() {
            int start = pos;
            if (s.charAt(pos) == '-' || s.charAt(pos) == '+') {
                pos++;
            }
            while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || "eE.".indexOf(s.charAt(pos)) >= 0
                    || (s.charAt(pos) == '-' || s.charAt(pos) == '+') && "eE".indexOf(s.charAt(pos - 1)) >= 0)) {
                pos++;
            }
            String n = s.substring(start, pos);
            if (n.length() > MAX_NUMBER_LENGTH) {
                throw new ParseException(start + 1, "a number of more than " + MAX_NUMBER_LENGTH + " characters");
            }
            try {
                double d = Double.parseDouble(n);
                if (!Double.isFinite(d)) {
                    throw new ParseException(start + 1, "number '" + n + "' is out of range");
                }
                return d;
            } catch (NumberFormatException e) {
                throw new ParseException(start + 1, "'" + n + "' is not a number");
            }
        }

        private String text(char quote) {
            int start = pos;
            pos++;
            StringBuilder b = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == quote) {
                    return b.toString();
                }
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                if (Character.isISOControl(c)) {
                    throw new ParseException(pos, "a control character inside a text");
                }
                b.append(c);
            }
            throw new ParseException(start + 1, "a text that is never closed (" + quote + ")");
        }

        private Terms.Op op() {
            if (pos + 1 < s.length()) {
                String two = s.substring(pos, pos + 2);
                for (Terms.Op op : Terms.Op.values()) {
                    if (op.symbol.length() == 2 && op.symbol.equals(two)) {
                        pos += 2;
                        return op;
                    }
                }
            }
            if (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '<' || c == '>') {
                    pos++;
                    return c == '<' ? Terms.Op.LT : Terms.Op.GT;
                }
                if (c == '=') {
                    throw error("'=' alone: compare with ==");
                }
            }
            return null;
        }

        /** Consumes {@code w} when it is the next word (case-insensitive, not the start of a longer key). */
        private boolean word(String w) {
            skipSpace();
            int end = pos + w.length();
            if (end <= s.length() && s.regionMatches(true, pos, w, 0, w.length())
                    && (end == s.length() || !keyChar(s.charAt(end)))) {
                pos = end;
                return true;
            }
            return false;
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        String found() {
            if (pos >= s.length()) {
                return "the end";
            }
            int end = pos;
            while (end < s.length() && end - pos < 12 && !Character.isWhitespace(s.charAt(end))) {
                end++;
            }
            return "'" + StateKeys.quote(s.substring(pos, Math.max(end, pos + 1))) + "'";
        }

        ParseException error(String message) {
            return new ParseException(pos + 1, message);
        }
    }
}
