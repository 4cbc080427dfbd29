package org.edgegate.parser.nmea.internal;

import java.util.Map;

import org.edgegate.api.sensor.LineParser;
import org.edgegate.api.sensor.LineParserFactory;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code nmea} line parser, registered on the serial bundle's parser whiteboard under its name: a
 * sensor configured with {@code parser = nmea} finds it as soon as this bundle starts, and waits again
 * when it goes.
 */
@Component(property = LineParserFactory.NAME + "=" + NmeaParserFactory.NAME)
public class NmeaParserFactory implements LineParserFactory {
    static final String NAME = "nmea";

    @Override
    public LineParser create(Map<String, Object> options) {
        return Nmea::parse; // no options, no state: one sentence is one line
    }
}
