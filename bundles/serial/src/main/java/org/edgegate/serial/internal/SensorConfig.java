package org.edgegate.serial.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The configuration of one sensor, factory PID {@code org.edgegate.serial.sensor}: what DS hands to
 * {@code SensorComponent.activate} and the Web Console shows; every default lives here. Parser options
 * not listed ({@code parser.*}) still reach parsers from other bundles through the raw properties.
 */
@ObjectClassDefinition(pid = SensorSettings.FACTORY_PID, name = "EdgeGate serial sensor",
        description = "A sensor board on a serial port, a serial-over-TCP server or a simulated board. "
                + "Each line it sends is parsed into channels and written to the shared state as sensor/<id>/<channel>.")
@interface SensorConfig {

    @AttributeDefinition(name = "Id", description = "Unique name of the sensor; its state keys are sensor/<id>/<channel>. "
            + "Letters, digits, '-', '_' and '.'; no '/' or spaces. Left out: the configuration's name "
            + "(etc/org.edgegate.serial.sensor-th.cfg gives th).")
    String id();

    @AttributeDefinition(name = "Port", description = "Where the board is: a device path (/dev/ttyUSB0, "
            + "/dev/serial/by-id/..., COM3), socket://host:port for a serial-over-TCP server (ser2net, ESP-Link), "
            + "or sim:th, sim:gas, sim:th9600 for a simulated board (add ?rate=N for N lines per second).")
    String port();

    @AttributeDefinition(name = "Baud rate", description = "Line speed in bits per second, e.g. 9600 or 115200.")
    int baud() default 115200;

    @AttributeDefinition(name = "Data bits", description = "Bits per character, 5 to 8.",
            options = {@Option(label = "8", value = "8"), @Option(label = "7", value = "7"), @Option(label = "6", value = "6"),
                    @Option(label = "5", value = "5")})
    int dataBits() default 8;

    @AttributeDefinition(name = "Parity", description = "Parity bit.", options = {@Option(value = "NONE", label = "None"),
            @Option(value = "ODD", label = "Odd"), @Option(value = "EVEN", label = "Even"),
            @Option(value = "MARK", label = "Mark"), @Option(value = "SPACE", label = "Space")})
    String parity() default "NONE";

    @AttributeDefinition(name = "Stop bits", description = "Stop bits per character.",
            options = {@Option(label = "1", value = "1"), @Option(label = "1.5", value = "1.5"), @Option(label = "2", value = "2")})
    String stopBits() default "1";

    @AttributeDefinition(name = "Flow control", description = "Hardware (RTS/CTS), software (XON/XOFF) or none.",
            options = {@Option(value = "NONE", label = "None"), @Option(value = "RTS_CTS", label = "RTS/CTS"),
                    @Option(value = "XON_XOFF", label = "XON/XOFF")})
    String flowControl() default "NONE";

    @AttributeDefinition(name = "Parser", description = "How a line becomes channels: dash (T-25-H-60), "
            + "regex (named groups), csv (configured columns), json (one flat object per line), kv (t=25 h=60), "
            + "or the name of a parser installed from another bundle.")
    String parser() default "dash";

    @AttributeDefinition(name = "Regex (regex parser)", required = false, description = "Java regular expression "
            + "whose named groups become channels, e.g. T=(?<T>-?[0-9.]+) H=(?<H>[0-9.]+)")
    String parser_regex();

    @AttributeDefinition(name = "Columns (csv parser)", required = false, description = "Comma-separated column "
            + "names, e.g. T,H,MQ2; _ skips a column.")
    String parser_columns();

    @AttributeDefinition(name = "Delimiter (csv parser)", required = false, description = "The character between "
            + "fields: , (default), ; or \\t for a tab.")
    String parser_delimiter();

    @AttributeDefinition(name = "Separator (dash parser)", required = false, description = "The character between "
            + "keys and values, default -. Any other parser.* key is handed to the parser too (parsers of your own).")
    String parser_separator();

    @AttributeDefinition(name = "Channel mapping", required = false, description = "Entries KEY:name[:unit[:scale[:offset]]], "
            + "e.g. T:temperature:°C or MQ2:smoke:ppm:0.1, separated by commas or as several values; name - drops a "
            + "channel. A number becomes value*scale+offset in decimal arithmetic (123 * 0.1 is 12.3); text passes "
            + "unchanged. Channels without an entry keep the key from the line (a / or space in it becomes _).")
    String[] channels();

    @AttributeDefinition(name = "Line terminator", description = "What ends a line: LF (\\n), CRLF (\\r\\n) or CR (\\r). "
            + "Spaces, a CR and NULs at either end of a line are ignored, so LF also reads CRLF boards; empty lines "
            + "are skipped.",
            options = {@Option(label = "LF (\\n)", value = "LF"), @Option(label = "CRLF (\\r\\n)", value = "CRLF"),
                    @Option(label = "CR (\\r)", value = "CR")})
    String terminator() default "LF";

    @AttributeDefinition(name = "Charset", description = "Text encoding of the lines, e.g. UTF-8, US-ASCII, ISO-8859-1 (an ASCII-compatible "
            + "one); undecodable bytes become U+FFFD.")
    String charset() default "UTF-8";

    @AttributeDefinition(name = "Maximum line length", description = "Bytes; a longer line is dropped whole (counted as dropped) "
            + "and reading resumes at the next terminator.")
    int maxLineLength() default 1024;

    @AttributeDefinition(name = "Silence timeout (ms)", description = "Reopen the port when no byte arrived for "
            + "this long (an adapter that hangs without an error; set it for boards that send continuously); 0 turns "
            + "the watchdog off.", type = AttributeType.LONG)
    long silenceTimeout() default 0;

    @AttributeDefinition(name = "First reconnect delay (ms)", description = "Wait before the first retry after "
            + "the device is lost or cannot be opened; doubled on every failed retry.", type = AttributeType.LONG)
    long reconnectMin() default 500;

    @AttributeDefinition(name = "Longest reconnect delay (ms)", description = "The retry delay never grows beyond this.",
            type = AttributeType.LONG)
    long reconnectMax() default 30000;
}
