package org.edgegate.metrics.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;


import org.junit.Test;

public class RegistryTest {

    @Test
    public void writesHelpTypeAndSamples() {
        Registry r = new Registry();
        r.counter("edgegate_sensor_lines_total", "Lines read").add(42, "sensor", "th").add(7, "sensor", "gas");
        r.gauge("edgegate_sensor_value", "Value").add(21.5, "sensor", "th", "channel", "T", "unit", "°C");
        r.gauge("edgegate_nothing", "no samples: not written");
        assertEquals("""
                # HELP edgegate_sensor_lines_total Lines read
                # TYPE edgegate_sensor_lines_total counter
                edgegate_sensor_lines_total{sensor="th"} 42
                edgegate_sensor_lines_total{sensor="gas"} 7
                # HELP edgegate_sensor_value Value
                # TYPE edgegate_sensor_value gauge
                edgegate_sensor_value{sensor="th",channel="T",unit="°C"} 21.5
                """, r.text());
    }

    @Test
    public void escapesLabelValuesAndHelp() {
        Registry r = new Registry();
        r.gauge("g", "a \\ help\nwith two lines").add(1, "id", "a\"b\\c\nd}e,f=g");
        assertEquals("""
                # HELP g a \\\\ help\\nwith two lines
                # TYPE g gauge
                g{id="a\\"b\\\\c\\nd}e,f=g"} 1
                """, r.text());
    }

    @Test
    public void numbers() {
        assertEquals("3", Registry.number(3));
        assertEquals("-2", Registry.number(-2));
        assertEquals("0.25", Registry.number(0.25));
        assertEquals("NaN", Registry.number(Double.NaN));
        assertEquals("+Inf", Registry.number(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", Registry.number(Double.NEGATIVE_INFINITY));
        assertEquals("1.0E20", Registry.number(1e20));
    }

    @Test
    public void refusesWhatTheFormatCannotCarry() {
        Registry r = new Registry();
        assertThrows(IllegalArgumentException.class, () -> r.counter("lines", "a counter without _total"));
        assertThrows(IllegalArgumentException.class, () -> r.gauge("1st", "bad name"));
        assertThrows(IllegalArgumentException.class, () -> r.gauge("g", "x").add(1, "bad-label", "v"));
        assertThrows(IllegalArgumentException.class, () -> r.gauge("g", "x").add(1, "__reserved", "v"));
        assertThrows(IllegalArgumentException.class, () -> r.gauge("g", "x").add(1, "odd"));
        r.gauge("same", "x");
        assertThrows(IllegalArgumentException.class, () -> r.counter("same", "x"));
    }
}
