package org.edgegate.api.sensor;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service that makes line parsers of one format, found by the name in the service
 * property {@value #NAME} ({@code dash}, {@code regex}, {@code csv}, {@code json}, {@code kv}, or a
 * parser of your own in its own bundle).
 */
@ConsumerType
public interface LineParserFactory {
    String NAME = "edgegate.parser.name";

    /**
     * Makes a parser for one sensor.
     *
     * @param options the sensor's configuration (e.g. {@code parser.regex}, {@code parser.columns})
     * @throws IllegalArgumentException with a readable message when the options are wrong
     */
    LineParser create(Map<String, Object> options);
}
