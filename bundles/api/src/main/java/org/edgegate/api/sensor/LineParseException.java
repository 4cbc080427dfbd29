package org.edgegate.api.sensor;

/** A line that does not have the format its parser expects. The message says what is wrong. */
public class LineParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public LineParseException(String message) {
        super(message);
    }
}
