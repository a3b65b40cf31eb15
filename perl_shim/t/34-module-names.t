use strict;
use warnings;
# Every module of AI::MXNet's distribution loads with `use`, first or in any order, and every AI::MXNet class is
# usable by name after `use AI::MXNet` alone. The lists are AI::MXNet's (its lib/ tree: the files, and their
# `package` statements). Families other issues are building (RecordIO, symbolic RNN, Visualization, Monitor,
# Callback, Module, IO's iterators, Sparse) are listed apart and checked only where the bridge has them already.
use Test::More;
use File::Spec;
use FindBin;
use AI::MXNet qw(mx);

my @MODULES = qw(
    AI::MXNet AI::MXNet::AutoGrad AI::MXNet::AutoLoad AI::MXNet::Base AI::MXNet::CachedOp AI::MXNet::Context
    AI::MXNet::Contrib AI::MXNet::Contrib::NDArray AI::MXNet::Contrib::Symbol AI::MXNet::CudaModule
    AI::MXNet::Engine AI::MXNet::Executor AI::MXNet::Function::Parameters AI::MXNet::Gluon
    AI::MXNet::Gluon::Block AI::MXNet::Gluon::Data AI::MXNet::Gluon::Data::Loader
    AI::MXNet::Gluon::Data::Sampler AI::MXNet::Gluon::Data::Set AI::MXNet::Gluon::Data::Vision
    AI::MXNet::Gluon::Loss AI::MXNet::Gluon::Mouse AI::MXNet::Gluon::NN AI::MXNet::Gluon::NN::Activation
    AI::MXNet::Gluon::NN::BasicLayers AI::MXNet::Gluon::NN::ConvLayers AI::MXNet::Gluon::Parameter
    AI::MXNet::Gluon::RNN AI::MXNet::Gluon::RNN::Cell AI::MXNet::Gluon::RNN::Layer AI::MXNet::Gluon::Trainer
    AI::MXNet::Gluon::Utils AI::MXNet::Image AI::MXNet::Image::NDArray AI::MXNet::Image::Symbol
    AI::MXNet::Initializer AI::MXNet::KVStore AI::MXNet::KVStoreServer AI::MXNet::LRScheduler AI::MXNet::LinAlg
    AI::MXNet::LinAlg::NDArray AI::MXNet::LinAlg::Symbol AI::MXNet::Logging AI::MXNet::Metric
    AI::MXNet::NDArray AI::MXNet::NDArray::Base AI::MXNet::NDArray::Doc AI::MXNet::NDArray::Slice AI::MXNet::NS
    AI::MXNet::Optimizer AI::MXNet::Profiler AI::MXNet::Random AI::MXNet::RunTime AI::MXNet::Symbol
    AI::MXNet::Symbol::AttrScope AI::MXNet::Symbol::Base AI::MXNet::Symbol::Doc AI::MXNet::Symbol::NameManager
    AI::MXNet::Symbol::Random AI::MXNet::TestUtils AI::MXNet::Types AI::MXNet::Util::Printable
);
my @MODULES_OF_OTHER_FAMILIES = qw(
    AI::MXNet::Callback AI::MXNet::Executor::Group AI::MXNet::IO AI::MXNet::Module AI::MXNet::Module::Base
    AI::MXNet::Module::Bucketing AI::MXNet::Monitor AI::MXNet::NDArray::Sparse AI::MXNet::RNN
    AI::MXNet::RNN::Cell AI::MXNet::RNN::IO AI::MXNet::RecordIO AI::MXNet::Symbol::Sparse
    AI::MXNet::Visualization
);
my @CLASSES = qw(
    AI::MXNet::Accuracy AI::MXNet::AdaDelta AI::MXNet::AdaGrad AI::MXNet::Adam AI::MXNet::Adamax
    AI::MXNet::Bilinear AI::MXNet::CachedOp AI::MXNet::CompositeEvalMetric AI::MXNet::Confidence
    AI::MXNet::Constant AI::MXNet::Context AI::MXNet::Contrib::Symbol AI::MXNet::CrossEntropy
    AI::MXNet::CudaKernel AI::MXNet::CudaModule AI::MXNet::CustomMetric AI::MXNet::DCASGD AI::MXNet::DataBatch
    AI::MXNet::DataDesc AI::MXNet::DataIter AI::MXNet::Engine AI::MXNet::EvalMetric AI::MXNet::Executor
    AI::MXNet::F1 AI::MXNet::FTML AI::MXNet::FactorScheduler AI::MXNet::Ftrl AI::MXNet::FusedRNN
    AI::MXNet::Gluon AI::MXNet::Gluon::Block AI::MXNet::Gluon::BlockScope AI::MXNet::Gluon::CTCLoss
    AI::MXNet::Gluon::Constant AI::MXNet::Gluon::CosineEmbeddingLoss AI::MXNet::Gluon::Data
    AI::MXNet::Gluon::Data::ArrayDataset AI::MXNet::Gluon::Data::Loader::DataLoader
    AI::MXNet::Gluon::Data::RecordFileSet AI::MXNet::Gluon::Data::Sampler
    AI::MXNet::Gluon::Data::Sampler::BatchSampler AI::MXNet::Gluon::Data::Sampler::RandomSampler
    AI::MXNet::Gluon::Data::Sampler::SequentialSampler AI::MXNet::Gluon::Data::Set
    AI::MXNet::Gluon::Data::Vision AI::MXNet::Gluon::Data::Vision::DownloadedDataSet
    AI::MXNet::Gluon::Data::Vision::DownloadedDataSet::CIFAR10
    AI::MXNet::Gluon::Data::Vision::DownloadedDataSet::FashionMNIST
    AI::MXNet::Gluon::Data::Vision::DownloadedDataSet::MNIST
    AI::MXNet::Gluon::Data::Vision::RecordFileSet::ImageRecordDataset
    AI::MXNet::Gluon::Data::Vision::Set::ImageFolderDataset AI::MXNet::Gluon::HingeLoss
    AI::MXNet::Gluon::HuberLoss AI::MXNet::Gluon::HybridBlock AI::MXNet::Gluon::KLDivLoss
    AI::MXNet::Gluon::L1Loss AI::MXNet::Gluon::L2Loss AI::MXNet::Gluon::LogisticLoss AI::MXNet::Gluon::Loss
    AI::MXNet::Gluon::NN AI::MXNet::Gluon::NN::Activation AI::MXNet::Gluon::NN::AvgPool1D
    AI::MXNet::Gluon::NN::AvgPool2D AI::MXNet::Gluon::NN::AvgPool3D AI::MXNet::Gluon::NN::BatchNorm
    AI::MXNet::Gluon::NN::Conv AI::MXNet::Gluon::NN::Conv1D AI::MXNet::Gluon::NN::Conv1DTranspose
    AI::MXNet::Gluon::NN::Conv2D AI::MXNet::Gluon::NN::Conv2DTranspose AI::MXNet::Gluon::NN::Conv3D
    AI::MXNet::Gluon::NN::Conv3DTranspose AI::MXNet::Gluon::NN::Dense AI::MXNet::Gluon::NN::Dropout
    AI::MXNet::Gluon::NN::ELU AI::MXNet::Gluon::NN::Embedding AI::MXNet::Gluon::NN::Flatten
    AI::MXNet::Gluon::NN::GlobalAvgPool1D AI::MXNet::Gluon::NN::GlobalAvgPool2D
    AI::MXNet::Gluon::NN::GlobalAvgPool3D AI::MXNet::Gluon::NN::GlobalMaxPool1D
    AI::MXNet::Gluon::NN::GlobalMaxPool2D AI::MXNet::Gluon::NN::GlobalMaxPool3D
    AI::MXNet::Gluon::NN::HybridLambda AI::MXNet::Gluon::NN::HybridSequential
    AI::MXNet::Gluon::NN::InstanceNorm AI::MXNet::Gluon::NN::Lambda AI::MXNet::Gluon::NN::LayerNorm
    AI::MXNet::Gluon::NN::LeakyReLU AI::MXNet::Gluon::NN::MaxPool1D AI::MXNet::Gluon::NN::MaxPool2D
    AI::MXNet::Gluon::NN::MaxPool3D AI::MXNet::Gluon::NN::PReLU AI::MXNet::Gluon::NN::Pooling
    AI::MXNet::Gluon::NN::ReflectionPad2D AI::MXNet::Gluon::NN::SELU AI::MXNet::Gluon::NN::Sequential
    AI::MXNet::Gluon::NN::Swish AI::MXNet::Gluon::Parameter AI::MXNet::Gluon::ParameterDict
    AI::MXNet::Gluon::PoissonNLLLoss AI::MXNet::Gluon::RNN AI::MXNet::Gluon::RNN::BidirectionalCell
    AI::MXNet::Gluon::RNN::DropoutCell AI::MXNet::Gluon::RNN::GRU AI::MXNet::Gluon::RNN::GRUCell
    AI::MXNet::Gluon::RNN::HybridRecurrentCell AI::MXNet::Gluon::RNN::LSTM AI::MXNet::Gluon::RNN::LSTMCell
    AI::MXNet::Gluon::RNN::Layer AI::MXNet::Gluon::RNN::ModifierCell AI::MXNet::Gluon::RNN::RNN
    AI::MXNet::Gluon::RNN::RNNCell AI::MXNet::Gluon::RNN::RecurrentCell AI::MXNet::Gluon::RNN::ResidualCell
    AI::MXNet::Gluon::RNN::SequentialRNNCell AI::MXNet::Gluon::RNN::ZoneoutCell
    AI::MXNet::Gluon::SigmoidBCELoss AI::MXNet::Gluon::SigmoidBinaryCrossEntropyLoss
    AI::MXNet::Gluon::SoftmaxCELoss AI::MXNet::Gluon::SoftmaxCrossEntropyLoss
    AI::MXNet::Gluon::SquaredHingeLoss AI::MXNet::Gluon::SymbolBlock AI::MXNet::Gluon::Trainer
    AI::MXNet::Gluon::TripletLoss AI::MXNet::Gluon::Utils AI::MXNet::Gluon::Utils::HookHandle AI::MXNet::Image
    AI::MXNet::Image::Symbol AI::MXNet::InitDesc AI::MXNet::Initializer AI::MXNet::KVStore
    AI::MXNet::KVStoreServer AI::MXNet::LBSGD AI::MXNet::LRScheduler AI::MXNet::LSTMBias
    AI::MXNet::LinAlg::Symbol AI::MXNet::Load AI::MXNet::Loss AI::MXNet::MAE AI::MXNet::MCC AI::MXNet::MSE
    AI::MXNet::MSRAPrelu AI::MXNet::MXDataIter AI::MXNet::Metric AI::MXNet::Mixed
    AI::MXNet::MultiFactorScheduler AI::MXNet::NAG AI::MXNet::NDArrayIter AI::MXNet::Nadam
    AI::MXNet::NegativeLogLikelihood AI::MXNet::Normal AI::MXNet::One AI::MXNet::Ones AI::MXNet::Optimizer
    AI::MXNet::Orthogonal AI::MXNet::PearsonCorrelation AI::MXNet::Perplexity AI::MXNet::RMSE
    AI::MXNet::RMSProp AI::MXNet::ResizeIter AI::MXNet::RunTime AI::MXNet::SGD AI::MXNet::SGLD
    AI::MXNet::Signum AI::MXNet::Symbol AI::MXNet::Symbol::AttrScope AI::MXNet::Symbol::NameManager
    AI::MXNet::Symbol::Prefix AI::MXNet::Symbol::Random AI::MXNet::Test AI::MXNet::TopKAccuracy
    AI::MXNet::Uniform AI::MXNet::Updater AI::MXNet::Xavier AI::MXNet::Zero AI::MXNet::Zeros
);

my $lib = File::Spec->catdir($FindBin::Bin, File::Spec->updir, 'lib');

# Each of a few modules first in a fresh process, then all the others in a shuffled order (a fixed seed).
my @firsts = (['AI::MXNet::Gluon::Utils', 'qw(download)'], ['AI::MXNet::Optimizer', ''],
              ['AI::MXNet::Gluon::Data::Set', ''], ['AI::MXNet::Metric', '']);
for my $i (0 .. $#firsts) {
    my ($first, $import) = @{ $firsts[$i] };
    my $script = "use $first $import; use List::Util qw(shuffle); srand($i); "
               . 'require(s{::}{/}gr . ".pm") for shuffle(@ARGV); '
               . ($import ? 'print defined &download ? "ok" : "no download";' : 'print "ok";');
    open my $run, '-|', $^X, "-I$lib", '-e', $script, @MODULES or die $!;
    my $out = do { local $/; <$run> };
    is $out, 'ok', "use $first first, then every other module" or diag $out;
}

ok(AI::MXNet->can('Context') && !defined &AI::MXNet::Context, 'mx->Context is a method, no sub named as the class');
is "${\ mx->Context('cpu', 0)}", 'cpu(0)', 'mx->Context(...)';
my $default = eval q{
    use AI::MXNet::Function::Parameters;
    func device(AI::MXNet::Context :$ctx = AI::MXNet::Context->cpu()) { "$ctx" }
    device();
};
is $default, 'cpu(0)', 'AI::MXNet::Context->cpu() as a signature default' or diag $@;

my @unusable = grep { !$_->can('new') } @CLASSES;
is_deeply \@unusable, [], scalar(@CLASSES) . " AI::MXNet classes usable after use AI::MXNet alone";
ok !$INC{'AI/MXNet/Gluon.pm'}, '(AI::MXNet::Gluon not loaded)';
is(AI::MXNet::FactorScheduler->new(step => 2, factor => 0.5)->(5), 0.0025, 'AI::MXNet::FactorScheduler without Gluon');

my @loaded = grep { eval { require(s{::}{/}gr . '.pm') } } @MODULES_OF_OTHER_FAMILIES;
note "of other families' modules, loadable now: @loaded";
ok !eval { require AI::MXNet::NoSuchModule; 1 }, 'a name AI::MXNet never had is still missing';

done_testing;
