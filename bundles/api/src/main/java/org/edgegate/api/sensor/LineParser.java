package org.edgegate.api.sensor;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/** Turns one line (terminator removed) into channel values, in line order. */
@ConsumerType
public interface LineParser {
    /**
     * @return channel name to value: {@link Long}, {@link Double} or {@link String}
     * @throws LineParseException when the line does not have the expected format
     */
    Map<String, Object> parse(String line) throws LineParseException;
}
