import os.path as osp

from setuptools import find_packages, setup


def read_version():
    ns = {}
    with open(osp.join(osp.dirname(__file__), 'ffmm', 'version.py')) as f:
        exec(f.read(), ns)
    return ns['__version__']


setup(
    name='ffmm',
    version=read_version(),
    description='FeatherFace face detectors with landmarks for MMDetection 3.x',
    packages=find_packages(include=['ffmm', 'ffmm.*']),
    python_requires='>=3.9',
    # torch must be the CPU build on this disk and mmcv must be built with
    # ops; the Makefile installs both before this package.
    install_requires=[
        'torch==2.13.0',
        'mmcv==2.1.0',
        'mmengine==0.10.7',
        'mmdet==3.3.0',
        'numpy<2',
        'scipy',
        'pycocotools',
        'opencv-python-headless',
    ],
    extras_require={'tests': ['pytest', 'scikit-image', 'matplotlib'],
                    'deploy': ['onnx', 'onnxruntime']},
)
