// The floor under a ZeroMQ endpoint's CPU per message, with libzmq (C): `pub RATE SECONDS ADDRESS` binds a PUB and
// sends one message (a topic frame and 145 bytes, a reading's size) RATE times a second, then prints the process's
// CPU per message over the last four fifths; `sub ADDRESS` connects a SUB (the receiver for every sender of run.sh)
// and counts messages until none came for 2 s. Needs Debian's libzmq5 (no header: the few calls are declared here).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
void *zmq_ctx_new(void); void *zmq_socket(void *, int); int zmq_bind(void *, const char *);
int zmq_connect(void *, const char *); int zmq_setsockopt(void *, int, const void *, size_t);
int zmq_send(void *, const void *, size_t, int); int zmq_recv(void *, void *, size_t, int);
int zmq_close(void *); int zmq_ctx_term(void *);
enum { PUB = 1, SUB = 2, SNDMORE = 2, SUBSCRIBE = 6, RCVTIMEO = 27, LINGER = 17 };
static double cpu(void) {
    struct rusage r; getrusage(RUSAGE_SELF, &r);
    return r.ru_utime.tv_sec + r.ru_utime.tv_usec / 1e6 + r.ru_stime.tv_sec + r.ru_stime.tv_usec / 1e6;
}
int main(int argc, char **argv) {
    void *ctx = zmq_ctx_new(); int zero = 0;
    if (argc == 3 && !strcmp(argv[1], "sub")) {
        void *sub = zmq_socket(ctx, SUB); int wait = 5000; char buf[256]; long n = 0;
        zmq_setsockopt(sub, SUBSCRIBE, "", 0); zmq_setsockopt(sub, RCVTIMEO, &wait, sizeof wait);
        zmq_setsockopt(sub, LINGER, &zero, sizeof zero);
        if (zmq_connect(sub, argv[2])) { perror("connect"); return 1; }
        while (zmq_recv(sub, buf, sizeof buf, 0) >= 0) { n++; wait = 2000; zmq_setsockopt(sub, RCVTIMEO, &wait, sizeof wait); }
        fprintf(stderr, "zmqfloor sub: %ld frames\n", n);
        zmq_close(sub); zmq_ctx_term(ctx); return 0;
    }
    if (argc != 5 || strcmp(argv[1], "pub")) { fprintf(stderr, "usage: zmqfloor pub RATE SECONDS ADDRESS | sub ADDRESS\n"); return 2; }
    double rate = atof(argv[2]); long n = (long) (rate * atoi(argv[3]));
    void *pub = zmq_socket(ctx, PUB); zmq_setsockopt(pub, LINGER, &zero, sizeof zero);
    if (zmq_bind(pub, argv[4])) { perror("bind"); return 1; }
    usleep(1500000); // the subscriber connects
    char body[145] = {0}; struct timespec d = {0, (long) (1e9 / rate)}; double c0 = 0;
    for (long i = 0; i < n; i++) {
        nanosleep(&d, 0);
        if (i == n / 5) c0 = cpu();
        zmq_send(pub, "sensor/bench", 12, SNDMORE); zmq_send(pub, body, sizeof body, 0);
    }
    printf("{\"bench\": \"zmqfloor\", \"side\": \"libzmq (C)\", \"rate\": %.0f, \"us_per_message\": %.1f}\n",
           rate, (cpu() - c0) / (n - n / 5) * 1e6);
    zmq_close(pub); zmq_ctx_term(ctx); return 0;
}
