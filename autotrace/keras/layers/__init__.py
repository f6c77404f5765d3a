"""`keras.layers`: the Layer base class, InputLayer/Input and the built-in layers."""
from ..engine.input_layer import Input, InputLayer
from ..engine.input_spec import InputSpec
from ..engine.layer import Layer
from ..serialization import register_builtins
from .convolutional import (AveragePooling1D, AveragePooling2D, Conv1D, Conv2D,
                            Conv2DTranspose, GlobalAveragePooling1D, GlobalAveragePooling2D,
                            GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPooling1D, MaxPooling2D)
from .core import (ActivityRegularization, Activation, Dense, Dropout, Embedding, Identity,
                   Lambda, Masking)
from .merging import (Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract,
                      add, average, concatenate, dot, maximum, minimum, multiply, subtract)
from .normalization import BatchNormalization, LayerNormalization, UnitNormalization
from .preprocessing import Normalization, Rescaling
from .reshaping import (Cropping1D, Cropping2D, Flatten, Permute, RepeatVector, Reshape,
                        UpSampling1D, UpSampling2D, ZeroPadding1D, ZeroPadding2D)

__all__ = [
    "Layer", "Input", "InputLayer", "InputSpec", "Dense", "Activation", "Dropout", "Embedding",
    "Lambda", "Identity", "Masking", "ActivityRegularization", "Add", "Subtract", "Multiply",
    "Average", "Maximum", "Minimum", "Concatenate", "Dot", "add", "subtract", "multiply",
    "average", "maximum", "minimum", "concatenate", "dot", "LayerNormalization",
    "BatchNormalization", "UnitNormalization", "Normalization", "Rescaling", "Flatten",
    "Reshape", "Permute", "RepeatVector", "ZeroPadding1D", "ZeroPadding2D", "Cropping1D",
    "Cropping2D", "UpSampling1D", "UpSampling2D", "Conv1D", "Conv2D", "Conv2DTranspose",
    "MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D",
    "GlobalMaxPooling2D", "MaxPool1D", "MaxPool2D", "AvgPool1D", "AvgPool2D",
    "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalMaxPool1D", "GlobalMaxPool2D",
    "Convolution1D", "Convolution2D",
]

# Keras's aliases
MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D = MaxPooling1D, MaxPooling2D, AveragePooling1D, \
    AveragePooling2D
GlobalAvgPool1D, GlobalAvgPool2D = GlobalAveragePooling1D, GlobalAveragePooling2D
GlobalMaxPool1D, GlobalMaxPool2D = GlobalMaxPooling1D, GlobalMaxPooling2D
Convolution1D, Convolution2D = Conv1D, Conv2D

register_builtins("keras.layers", {cls.__name__: cls for cls in (
    Layer, InputLayer, Dense, Activation, Dropout, Embedding, Lambda, Identity, Masking,
    ActivityRegularization, Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate,
    Dot, LayerNormalization, BatchNormalization, UnitNormalization, Normalization, Rescaling,
    Flatten, Reshape, Permute, RepeatVector, ZeroPadding1D, ZeroPadding2D, Cropping1D,
    Cropping2D, UpSampling1D, UpSampling2D, Conv1D, Conv2D, Conv2DTranspose, MaxPooling1D,
    MaxPooling2D, AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D,
    GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D)})
