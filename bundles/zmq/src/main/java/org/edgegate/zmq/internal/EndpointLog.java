package org.edgegate.zmq.internal;

/** Where an endpoint's worker reports what an operator should see in the log (the OSGi Logger at run time). */
interface EndpointLog {
    void info(String message);

    void warn(String message);

    EndpointLog NONE = new EndpointLog() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
        }
    };
}
