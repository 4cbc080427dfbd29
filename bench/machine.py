#!/usr/bin/python3
"""What the benchmark ran on, as one JSON line: date, CPU model, cores, memory, kernel, Java, the
gateway's OpenCV (the org.openpnp:opencv jar in the runtime) and Python's, pyzmq, load averages.
Usage: machine.py RUNTIME_DIR"""
import glob, json, os, platform, re, subprocess, sys, time

def first(pattern, text, default='?'):
    m = re.search(pattern, text, re.M)
    return m.group(1).strip() if m else default

def main():
    runtime = sys.argv[1]
    cpuinfo = open('/proc/cpuinfo').read()
    meminfo = open('/proc/meminfo').read()
    java = subprocess.run(['java', '-version'], capture_output=True, text=True).stderr
    jar = [os.path.basename(j) for j in glob.glob(os.path.join(runtime, 'bundle', 'opencv-*.jar'))]
    info = dict(date=time.strftime('%Y-%m-%d %H:%M %Z'), cpu=first(r'^model name\s*:\s*(.*)$', cpuinfo),
                cores=os.cpu_count(), mem_gb=round(int(first(r'^MemTotal:\s*(\d+)', meminfo, '0')) / 1048576, 1),
                kernel=platform.release(), os=first(r'^PRETTY_NAME="?([^"\n]*)', open('/etc/os-release').read()),
                java=first(r'version "([^"]+)"', java) + ' ' + first(r'^(OpenJDK [^\n(]*)', java, ''),
                opencv_java=jar[0][len('opencv-'):-len('.jar')] if jar else '?',
                load=open('/proc/loadavg').read().split()[:3])
    try:
        import cv2, zmq
        info.update(opencv_python=cv2.__version__, pyzmq=zmq.__version__, python=platform.python_version())
        info['opencv_python_jpeg'] = first(r'JPEG:\s*(.*)$', cv2.getBuildInformation())
    except ImportError as e:
        info['python_missing'] = str(e)
    print(json.dumps(info))

if __name__ == '__main__':
    main()
