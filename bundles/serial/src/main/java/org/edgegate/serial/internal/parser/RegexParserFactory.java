package org.edgegate.serial.internal.parser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.edgegate.api.sensor.LineParseException;
import org.edgegate.api.sensor.LineParser;
import org.edgegate.api.sensor.LineParserFactory;
import org.osgi.service.component.annotations.Component;

/**
 * Option {@code parser.regex}: a Java regular expression whose named groups
 * ({@code (?<temperature>-?\d+)}) become channels. The expression is searched in the line (use
 * {@code ^...$} to require the whole line); a group that did not take part in the match is left out.
 */
@Component(property = LineParserFactory.NAME + "=regex")
public class RegexParserFactory implements LineParserFactory {
    private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    @Override
    public LineParser create(Map<String, Object> options) {
        String regex = Values.option(options, "parser.regex", null);
        if (regex == null) {
            throw new IllegalArgumentException("the regex parser needs parser.regex, e.g. T=(?<T>-?[0-9.]+)");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("parser.regex is not a valid regular expression: "
                    + e.getDescription() + " near index " + e.getIndex());
        }
        List<String> names = groupNames(regex);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("parser.regex has no named group such as (?<T>-?[0-9.]+)");
        }
        return line -> parse(pattern, names, line);
    }

    /** Java 17 cannot list a pattern's named groups, so they are read from its text. */
    static List<String> groupNames(String regex) {
        List<String> names = new ArrayList<>();
        Matcher m = GROUP_NAME.matcher(regex);
        while (m.find()) {
            // "\(?<x>" is a literal parenthesis, not a group
            int backslashes = 0;
            for (int i = m.start() - 1; i >= 0 && regex.charAt(i) == '\\'; i--) {
                backslashes++;
            }
            if (backslashes % 2 == 0 && !names.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static Map<String, Object> parse(Pattern pattern, List<String> names, String line)
            throws LineParseException {
        Matcher m = pattern.matcher(line);
        if (!m.find()) {
            throw new LineParseException("does not match parser.regex");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : names) {
            String text = m.group(name);
            if (text != null && !text.isBlank()) {
                values.put(name, Values.of(text));
            }
        }
        if (values.isEmpty()) {
            throw new LineParseException("matches parser.regex but no named group captured a value");
        }
        return values;
    }
}
