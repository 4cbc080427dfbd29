package org.edgegate.shell.internal.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The wire format of the command socket, shared by {@link CliServer} and {@link CliClient}.
 * Request: one UTF-8 command line (length-prefixed). Response: frames of {@code [kind][length][bytes]}
 * where kind is OUT or ERR, ended by an EXIT frame carrying the exit status.
 */
final class CliProtocol {
    static final byte OUT = 1;
    static final byte ERR = 2;
    static final byte EXIT = 3;
    static final int MAX_COMMAND = 64 * 1024;

    private CliProtocol() {
    }

    static void writeFrame(DataOutputStream out, byte kind, byte[] bytes, int off, int len) throws IOException {
        synchronized (out) {
            out.writeByte(kind);
            out.writeInt(len);
            out.write(bytes, off, len);
            out.flush();
        }
    }

    static void writeExit(DataOutputStream out, int status) throws IOException {
        synchronized (out) {
            out.writeByte(EXIT);
            out.writeInt(status);
            out.flush();
        }
    }

    /** Reads response frames into the two streams; returns the exit status. */
    static int readResponse(DataInputStream in, OutputStream out, OutputStream err) throws IOException {
        while (true) {
            byte kind = in.readByte();
            int n = in.readInt();
            if (kind == EXIT) {
                return n;
            }
            byte[] bytes = in.readNBytes(n);
            (kind == ERR ? err : out).write(bytes);
        }
    }

    /** An output stream that sends what is written as frames of one kind. */
    static OutputStream framed(DataOutputStream out, byte kind) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) {
                    writeFrame(out, kind, b, off, len);
                }
            }
        };
    }
}
