// Kernel floor of the memif-node interrupt path (docs/benchmarks.md, "Round-trip latency"):
// two processes pinned to cores 0 and 1 bounce a sequence number 3000 times (after 200 warm-up)
// and print p50/p90/p99 of the round trip and of the signalling syscall, for:
//   gcc -O2 -o /tmp/wakeup-floor bench/tools/wakeup-floor.c && flock /work/bench.lock /tmp/wakeup-floor [rounds]
//  plain:  write(2) eventfd -> epoll_wait(outer, eventfd LT) -> read(2)
//  ours:   io_uring NOP with IORING_REGISTER_EVENTFD -> epoll_wait(outer) on inner EPOLLET epoll set
//          -> epoll_wait(inner, 0) drain (x2 as EdgeWatcher did before issue #18, or x1)
//  spin:   receiver spins on a shared counter (no syscalls to wake), sender still signals
// GAP_US=<µs> makes the pinger sleep that long between round trips (300 of them), as a ping with
// an interval does: both vCPUs go idle in between, and waking an idle vCPU costs far more here.
#define _GNU_SOURCE
#include <linux/io_uring.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static uint64_t now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1000000000ull+t.tv_nsec;}
static void pin(int c){cpu_set_t s;CPU_ZERO(&s);CPU_SET(c,&s);sched_setaffinity(0,sizeof s,&s);}
struct ring{int fd;unsigned*sqtail,*sqmask,*sqarr,*cqhead,*cqtail;struct io_uring_sqe*sqes;};
static struct ring mkring(int efd){struct io_uring_params p;memset(&p,0,sizeof p);struct ring r;
 r.fd=syscall(__NR_io_uring_setup,1,&p); if(r.fd<0){perror("setup");exit(1);}
 int e=efd; if(syscall(__NR_io_uring_register,r.fd,IORING_REGISTER_EVENTFD,&e,1)<0){perror("reg");exit(1);}
 char*sq=mmap(0,p.sq_off.array+p.sq_entries*4,PROT_READ|PROT_WRITE,MAP_SHARED|MAP_POPULATE,r.fd,IORING_OFF_SQ_RING);
 char*cq=mmap(0,p.cq_off.cqes+p.cq_entries*16,PROT_READ|PROT_WRITE,MAP_SHARED|MAP_POPULATE,r.fd,IORING_OFF_CQ_RING);
 r.sqes=mmap(0,p.sq_entries*64,PROT_READ|PROT_WRITE,MAP_SHARED|MAP_POPULATE,r.fd,IORING_OFF_SQES);
 r.sqtail=(unsigned*)(sq+p.sq_off.tail);r.sqmask=(unsigned*)(sq+p.sq_off.ring_mask);r.sqarr=(unsigned*)(sq+p.sq_off.array);
 r.cqhead=(unsigned*)(cq+p.cq_off.head);r.cqtail=(unsigned*)(cq+p.cq_off.tail);return r;}
static void ring_signal(struct ring*r){unsigned t=*r->sqtail,s=t&*r->sqmask;memset(&r->sqes[s],0,64);r->sqes[s].opcode=IORING_OP_NOP;r->sqarr[s]=s;
 __atomic_store_n(r->sqtail,t+1,__ATOMIC_SEQ_CST);syscall(__NR_io_uring_enter,r->fd,1,0,0,0,0);__atomic_store_n(r->cqhead,__atomic_load_n(r->cqtail,__ATOMIC_SEQ_CST),__ATOMIC_SEQ_CST);}
enum{PLAIN,OURS2,OURS1,SPIN};
struct side{int efd,inner,outer;struct ring r;};
static void setup(struct side*s,int mode,int efd_rx,int efd_tx){s->efd=efd_rx;
 s->outer=epoll_create1(0);struct epoll_event e={.events=EPOLLIN};
 if(mode==PLAIN){epoll_ctl(s->outer,EPOLL_CTL_ADD,efd_rx,&e);}
 else{s->inner=epoll_create1(0);struct epoll_event et={.events=EPOLLIN|EPOLLET};epoll_ctl(s->inner,EPOLL_CTL_ADD,efd_rx,&et);epoll_ctl(s->outer,EPOLL_CTL_ADD,s->inner,&e);
  s->r=mkring(efd_tx);}}
static volatile uint64_t*shared;
static void wait_rx(struct side*s,int mode,int who,uint64_t seq){struct epoll_event e[8];uint64_t v;
 if(mode==SPIN){while(__atomic_load_n(&shared[who],__ATOMIC_ACQUIRE)<seq);return;}
 for(;;){ if(mode==PLAIN){ if(read(s->efd,&v,8)==8) return; epoll_wait(s->outer,e,8,-1); continue;}
   // ours: look at the "ring" first, then sleep
   if(__atomic_load_n(&shared[who],__ATOMIC_ACQUIRE)>=seq) return;
   epoll_wait(s->outer,e,8,-1); int n=epoll_wait(s->inner,e,8,0); if(mode==OURS2&&n>0) epoll_wait(s->inner,e,8,0);}}
static void tx(struct side*s,int mode,int who,uint64_t seq,int efd){uint64_t one=1;__atomic_store_n(&shared[who],seq,__ATOMIC_SEQ_CST);
 if(mode==PLAIN) write(efd,&one,8); else ring_signal(&s->r);}
int cmp(const void*a,const void*b){uint64_t x=*(uint64_t*)a,y=*(uint64_t*)b;return x<y?-1:x>y;}
static void run(int mode,const char*name){int N=getenv("GAP_US")?300:3000;
 int a=eventfd(0,EFD_NONBLOCK),b=eventfd(0,EFD_NONBLOCK);shared[0]=shared[1]=0;
 pid_t p=fork();
 if(p==0){pin(0);struct side s;setup(&s,mode==SPIN?OURS1:mode,a,b);
  for(uint64_t i=1;i<=N+200;i++){wait_rx(&s,mode,0,i);tx(&s,mode==SPIN?OURS1:mode,1,i,b);}_exit(0);}
 pin(1);struct side s;setup(&s,mode==SPIN?OURS1:mode,b,a);
 uint64_t*t=malloc(8*N),*tt=malloc(8*N);usleep(50000);
 for(uint64_t i=1;i<=N+200;i++){uint64_t t0=now();tx(&s,mode==SPIN?OURS1:mode,0,i,a);if(i>200)tt[i-201]=now()-t0;wait_rx(&s,mode,1,i);uint64_t t1=now();if(i>200)t[i-201]=t1-t0; if(getenv("GAP_US"))usleep(atoi(getenv("GAP_US")));}
 waitpid(p,0,0);qsort(t,N,8,cmp);qsort(tt,N,8,cmp);printf("   signal syscall p50 %.1f us p99 %.1f  | ",tt[N/2]/1e3,tt[N*99/100]/1e3);printf("%-28s p50 %6.1f us  p90 %6.1f  p99 %7.1f us\n",name,t[N/2]/1e3,t[N*9/10]/1e3,t[N*99/100]/1e3);
 close(a);close(b);}
int main(int argc,char**argv){shared=mmap(0,4096,PROT_READ|PROT_WRITE,MAP_SHARED|MAP_ANONYMOUS,-1,0);int rounds=argc>1?atoi(argv[1]):2;
 for(int k=0;k<rounds;k++){run(PLAIN,"write+epoll+read");run(OURS2,"io_uring+nested epoll, 2 drains");run(OURS1,"io_uring+nested epoll, 1 drain");run(SPIN,"spin on shared memory");}}
