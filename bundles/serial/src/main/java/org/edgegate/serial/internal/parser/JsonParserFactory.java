package org.edgegate.serial.internal.parser;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.edgegate.api.sensor.LineParseException;
import org.edgegate.api.sensor.LineParser;
import org.edgegate.api.sensor.LineParserFactory;
import org.osgi.service.component.annotations.Component;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * One flat JSON object per line: {@code {"T": 25, "H": 60.5, "state": "ok"}}. Numbers stay numbers,
 * strings strings, booleans become {@code "true"}/{@code "false"}, {@code null} leaves the channel
 * out; a nested object or array is a parse error (channels are flat).
 */
@Component(property = LineParserFactory.NAME + "=json")
public class JsonParserFactory implements LineParserFactory {
    private static final Pattern COLUMN = Pattern.compile("column (\\d+)");

    @Override
    public LineParser create(Map<String, Object> options) {
        return JsonParserFactory::parse;
    }

    static Map<String, Object> parse(String line) throws LineParseException {
        try (JsonReader in = new JsonReader(new StringReader(line))) {
            in.setStrictness(Strictness.STRICT);
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                throw new LineParseException("not a JSON object");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            in.beginObject();
            while (in.hasNext()) {
                String name = in.nextName();
                switch (in.peek()) {
                    case NUMBER -> Values.put(values, name, number(in.nextString()), line);
                    case STRING -> Values.put(values, name, in.nextString(), line);
                    case BOOLEAN -> Values.put(values, name, Boolean.toString(in.nextBoolean()), line);
                    case NULL -> in.nextNull();
                    default -> throw new LineParseException("field '" + name + "' is not a number, string or boolean");
                }
            }
            in.endObject();
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw new LineParseException("text after the JSON object");
            }
            if (values.isEmpty()) {
                throw new LineParseException("empty JSON object");
            }
            return values;
        } catch (IOException | IllegalStateException e) {
            // Gson's messages end in advice for programmers and a link: keep only where it broke
            Matcher m = COLUMN.matcher(String.valueOf(e.getMessage()));
            throw new LineParseException("not valid JSON" + (m.find() ? " at column " + m.group(1) : ""));
        }
    }

    private static Object number(String text) throws LineParseException {
        Object v = Values.of(text);
        if (v instanceof String) {
            throw new LineParseException("number out of range: " + text);
        }
        return v;
    }
}
