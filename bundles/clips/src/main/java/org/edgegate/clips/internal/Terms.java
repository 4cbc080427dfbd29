package org.edgegate.clips.internal;

import java.util.function.Function;

/** The tree a {@link Condition} parses into: comparisons joined by and, or, not. Nothing in it can run code. */
final class Terms {
    private Terms() {
    }

    interface Node {
        boolean test(Function<String, Object> values);
    }

    record Or(Node a, Node b) implements Node {
        @Override
        public boolean test(Function<String, Object> v) {
            return a.test(v) || b.test(v);
        }
    }

    record And(Node a, Node b) implements Node {
        @Override
        public boolean test(Function<String, Object> v) {
            return a.test(v) && b.test(v);
        }
    }

    record Not(Node a) implements Node {
        @Override
        public boolean test(Function<String, Object> v) {
            return !a.test(v);
        }
    }

    /** An operand: a key (value looked up) or a literal. */
    record Operand(String key, Object literal) {
        Object value(Function<String, Object> v) {
            return key != null ? v.apply(key) : literal;
        }
    }

    record Truthy(Operand key) implements Node {
        @Override
        public boolean test(Function<String, Object> v) {
            Object x = key.value(v);
            return Boolean.TRUE.equals(x) || x instanceof Number n && n.doubleValue() != 0 && !Double.isNaN(n.doubleValue());
        }
    }

    enum Op {
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!=");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        boolean ordering() {
            return this != EQ && this != NE;
        }
    }

    record Compare(Operand left, Op op, Operand right) implements Node {
        @Override
        public boolean test(Function<String, Object> v) {
            Object a = left.value(v);
            Object b = right.value(v);
            if (a == null || b == null) {
                return false;
            }
            if (a instanceof Number x && b instanceof Number y) {
                double p = x.doubleValue();
                double q = y.doubleValue();
                if (Double.isNaN(p) || Double.isNaN(q)) {
                    return false;
                }
                int c = Double.compare(p, q);
                return switch (op) {
                    case LT -> c < 0;
                    case LE -> c <= 0;
                    case GT -> c > 0;
                    case GE -> c >= 0;
                    case EQ -> p == q;
                    case NE -> p != q;
                };
            }
            if (op.ordering()) {
                return false;
            }
            boolean sameType = a instanceof String && b instanceof String || a instanceof Boolean && b instanceof Boolean;
            if (!sameType) {
                return false;
            }
            return (op == Op.EQ) == a.equals(b);
        }
    }
}
