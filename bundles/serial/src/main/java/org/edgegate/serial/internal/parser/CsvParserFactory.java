package org.edgegate.serial.internal.parser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgegate.api.sensor.LineParseException;
import org.edgegate.api.sensor.LineParser;
import org.edgegate.api.sensor.LineParserFactory;
import org.osgi.service.component.annotations.Component;

/**
 * Delimited values with the column names configured: {@code parser.columns = T,H,MQ2} reads
 * {@code 25,60,123}. A column named {@code _} is skipped; an empty field leaves its channel out.
 * Fields may be double-quoted ({@code "a,b"}, {@code ""} for a quote). Option
 * {@code parser.delimiter}: one character, default {@code ,} ({@code \t} for tabs, {@code ;}).
 */
@Component(property = LineParserFactory.NAME + "=csv")
public class CsvParserFactory implements LineParserFactory {

    @Override
    public LineParser create(Map<String, Object> options) {
        String columnsText = Values.option(options, "parser.columns", null);
        if (columnsText == null) {
            throw new IllegalArgumentException("the csv parser needs parser.columns, e.g. T,H,MQ2");
        }
        String delimiter = Values.unescape(Values.option(options, "parser.delimiter", ","));
        if (delimiter.length() != 1 || delimiter.charAt(0) == '"') {
            throw new IllegalArgumentException("parser.delimiter must be one character other than '\"', not '"
                    + delimiter + "'");
        }
        List<String> columns = Arrays.stream(columnsText.split(",")).map(String::trim).toList();
        if (columns.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("parser.columns has an empty name (use _ to skip a column): "
                    + columnsText);
        }
        char d = delimiter.charAt(0);
        return line -> parse(line, d, columns);
    }

    private static Map<String, Object> parse(String line, char delimiter, List<String> columns)
            throws LineParseException {
        List<String> fields = split(line, delimiter);
        if (fields.size() != columns.size()) {
            throw new LineParseException("expected " + columns.size() + " fields, got " + fields.size());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            String name = columns.get(i);
            String field = fields.get(i).trim();
            if (!name.equals("_") && !field.isEmpty()) {
                Values.put(values, name, Values.of(field), line);
            }
        }
        if (values.isEmpty()) {
            throw new LineParseException("all fields empty");
        }
        return values;
    }

    static List<String> split(String line, char delimiter) throws LineParseException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.toString().isBlank()) {
                quoted = true;
                field.setLength(0);
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new LineParseException("unterminated quoted field");
        }
        fields.add(field.toString());
        return fields;
    }
}
