package org.edgegate.serial.internal.parser;

import java.util.LinkedHashMap;
import java.util.Map;

import org.edgegate.api.sensor.LineParseException;
import org.edgegate.api.sensor.LineParser;
import org.edgegate.api.sensor.LineParserFactory;
import org.osgi.service.component.annotations.Component;

/**
 * The seed's format: {@code key-value-key-value} ({@code T-25-H-60}, {@code MQ2-123-L-456-MQ9-789}).
 * A separator directly after a key's separator is a minus sign, so {@code T--5.5-H-60} is T = -5.5,
 * H = 60: the seed's {@code split('-')} broke on exactly that. Option {@code parser.separator}
 * (one character, default {@code -}).
 */
@Component(property = LineParserFactory.NAME + "=dash")
public class DashParserFactory implements LineParserFactory {

    @Override
    public LineParser create(Map<String, Object> options) {
        String sep = Values.unescape(Values.option(options, "parser.separator", "-"));
        if (sep.length() != 1) {
            throw new IllegalArgumentException("parser.separator must be one character, not '" + sep + "'");
        }
        char s = sep.charAt(0);
        return line -> parse(line, s);
    }

    static Map<String, Object> parse(String line, char sep) throws LineParseException {
        Map<String, Object> values = new LinkedHashMap<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            int keyEnd = line.indexOf(sep, i);
            if (keyEnd < 0) {
                throw new LineParseException("channel '" + line.substring(i).trim() + "' has no value");
            }
            String key = line.substring(i, keyEnd).trim();
            int valueStart = keyEnd + 1;
            // with '-' as separator, a separator right where the value starts is that value's minus sign
            int scanFrom = sep == '-' && valueStart < n && line.charAt(valueStart) == '-' ? valueStart + 1 : valueStart;
            int valueEnd = line.indexOf(sep, scanFrom);
            if (valueEnd < 0) {
                valueEnd = n;
            }
            String text = line.substring(valueStart, valueEnd).trim();
            if (text.isEmpty() || text.equals("-")) {
                throw new LineParseException("channel '" + key + "' has no value");
            }
            Values.put(values, key, Values.of(text), line);
            i = valueEnd + 1;
            if (valueEnd == n - 1) {
                throw new LineParseException("line ends with a separator");
            }
        }
        if (values.isEmpty()) {
            throw new LineParseException("no channels");
        }
        return values;
    }
}
