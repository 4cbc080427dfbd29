package org.edgegate.serial.internal.port;

import java.util.Locale;
import java.util.Random;

/**
 * The seed's boards, simulated: each line has exactly the seed's format, values drift slowly like a
 * real room's. {@code th}: {@code T-25-H-60}; {@code gas}: {@code MQ2-123-L-456-MQ9-789};
 * {@code th9600}: the 9600-baud board's {@code T-25-H-60-MQ2-123}.
 */
enum SimBoard {
    TH("temperature and humidity board (T-25-H-60), 115200 baud", new String[] {"T", "H"},
            new int[][] {{15, 35}, {30, 90}}),
    GAS("gas and light board (MQ2-123-L-456-MQ9-789), 115200 baud", new String[] {"MQ2", "L", "MQ9"},
            new int[][] {{100, 400}, {0, 1023}, {50, 300}}),
    TH9600("temperature, humidity and smoke board (T-25-H-60-MQ2-123), 9600 baud", new String[] {"T", "H", "MQ2"},
            new int[][] {{15, 35}, {30, 90}, {100, 400}});

    final String description;
    private final String[] keys;
    private final int[][] ranges;

    SimBoard(String description, String[] keys, int[][] ranges) {
        this.description = description;
        this.keys = keys;
        this.ranges = ranges;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SimBoard of(String name) {
        for (SimBoard b : values()) {
            if (b.id().equals(name)) {
                return b;
            }
        }
        return null;
    }

    /** Values of one board instance: a random walk inside each channel's range. */
    final class Walk {
        private final Random random = new Random();
        private final int[] value = new int[keys.length];

        Walk() {
            for (int i = 0; i < keys.length; i++) {
                value[i] = (ranges[i][0] + ranges[i][1]) / 2;
            }
        }

        /** The next line, with the board's CR LF (Arduino {@code println}). */
        String next() {
            StringBuilder b = new StringBuilder(24);
            for (int i = 0; i < keys.length; i++) {
                value[i] = Math.max(ranges[i][0], Math.min(ranges[i][1], value[i] + random.nextInt(3) - 1));
                b.append(i == 0 ? "" : "-").append(keys[i]).append('-').append(value[i]);
            }
            return b.append("\r\n").toString();
        }
    }
}
