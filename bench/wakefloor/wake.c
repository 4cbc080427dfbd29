// The floor under any reader's CPU per event: a reader blocked in read() on a pipe, woken RATE times a second
// by a writer process; prints its CPU per wake (CLOCK_THREAD_CPUTIME_ID). Usage: wake RATE SECONDS [BYTES]
// (BYTES: memory the reader touches per wake, as a reader's working set).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
static double cpu(clockid_t c){struct timespec t;clock_gettime(c,&t);return t.tv_sec+t.tv_nsec/1e9;}
int main(int argc,char**argv){
  double rate=atof(argv[1]); int dur=atoi(argv[2]); int touch=argc>3?atoi(argv[3]):0;
  int p[2]; pipe(p);
  pid_t w=fork();
  if(!w){ close(p[0]); struct timespec d={0,(long)(1e9/rate)}; long n=(long)(rate*dur); for(long i=0;i<n;i++){nanosleep(&d,0); write(p[1],"x",1);} return 0; }
  close(p[1]); char *buf=malloc(touch?touch:1); char c; long n=0; double c0=cpu(CLOCK_THREAD_CPUTIME_ID);
  while(read(p[0],&c,1)==1){ n++; if(touch) memset(buf,(int)n,touch); }
  double c1=cpu(CLOCK_THREAD_CPUTIME_ID); waitpid(w,0,0);
  printf("{\"bench\": \"wakefloor\", \"side\": \"c read\", \"rate\": %.0f, \"touch\": %d, \"us_per_wake\": %.1f}\n",rate,touch,(c1-c0)/n*1e6);
}
