package org.edgegate.api.sensor;

/** Line settings for opening a port. Providers that have no line (TCP, simulation) ignore them. */
public record PortSettings(int baud, int dataBits, Parity parity, StopBits stopBits, FlowControl flowControl) {

    public enum Parity { NONE, ODD, EVEN, MARK, SPACE }

    public enum StopBits { ONE, ONE_POINT_FIVE, TWO }

    public enum FlowControl { NONE, RTS_CTS, XON_XOFF }

    public static PortSettings of(int baud) {
        return new PortSettings(baud, 8, Parity.NONE, StopBits.ONE, FlowControl.NONE);
    }
}
