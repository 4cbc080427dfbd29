package org.edgegate.serial.internal.parser;

import java.util.LinkedHashMap;
import java.util.Map;

import org.edgegate.api.sensor.LineParseException;
import org.edgegate.api.sensor.LineParser;
import org.edgegate.api.sensor.LineParserFactory;
import org.osgi.service.component.annotations.Component;

/**
 * {@code key=value} pairs: {@code t=25 h=60}, {@code t:25,h:60}, {@code t=25; h=-3.5}. Pairs are
 * separated by whitespace, {@code ,} or {@code ;}; key and value by the first {@code =} or {@code :}.
 */
@Component(property = LineParserFactory.NAME + "=kv")
public class KvParserFactory implements LineParserFactory {

    @Override
    public LineParser create(Map<String, Object> options) {
        return KvParserFactory::parse;
    }

    static Map<String, Object> parse(String line) throws LineParseException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String pair : line.split("[\\s,;]+")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = indexOfSeparator(pair);
            if (eq < 0) {
                throw new LineParseException("'" + pair + "' is not key=value");
            }
            String value = pair.substring(eq + 1);
            if (value.isEmpty()) {
                throw new LineParseException("channel '" + pair.substring(0, eq) + "' has no value");
            }
            Values.put(values, pair.substring(0, eq), Values.of(value), line);
        }
        if (values.isEmpty()) {
            throw new LineParseException("no key=value pairs");
        }
        return values;
    }

    private static int indexOfSeparator(String pair) {
        for (int i = 0; i < pair.length(); i++) {
            char c = pair.charAt(i);
            if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }
}
