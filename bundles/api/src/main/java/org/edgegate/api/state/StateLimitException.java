package org.edgegate.api.state;

/**
 * A write refused because it would take the state past one of its limits (entries, bytes of one value,
 * bytes of the whole state, key length). It is an {@link IllegalArgumentException}, so every client that
 * shows a refused write shows this one the same way; the message names the limit, the figures and the
 * configuration key that raises it, never the value itself.
 */
public class StateLimitException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String limit;

    /** {@code limit}: the configuration key of the limit reached, e.g. {@code maxBytes}. */
    public StateLimitException(String limit, String message) {
        super(message);
        this.limit = limit;
    }

    /** The configuration key of the limit that refused the write: {@code maxEntries}, {@code maxBytes}, ... */
    public String limit() {
        return limit;
    }
}
